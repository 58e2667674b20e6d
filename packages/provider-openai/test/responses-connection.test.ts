import { ClientRegistry, defineProvider, type ChatRequest } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { useEmulator } from '@reg/testkit/vitest';
import { openaiResponses } from '../src/index.js';

const emulator = useEmulator();
const request: ChatRequest = { messages: [{ role: 'user', content: 'Hello.' }] };

it('builds the SDK client once and keeps one socket alive across generate and stream calls', async () => {
  let built = 0;
  const counted = defineProvider({
    ...openaiResponses,
    createModel(options, context) {
      built++;
      return openaiResponses.createModel(options, context);
    },
  });
  const cr = new ClientRegistry({ providers: [counted] });
  cr.addLlmClient('Kept', 'openai-responses', { model: 'conn-keep', base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
  cr.setPrimary('Kept');
  emulator.current.script('conn-keep', { reply: { text: 'A reply long enough to arrive in several parts.' }, chunkSize: 5 });

  // One event-loop turn between calls: undici returns a socket to its pool only after one.
  for (let index = 0; index < 2; index++) {
    await cr.generate(request);
    await nextTurn();
  }
  for await (const part of cr.stream(request)) expect(part.type).not.toBe('error');
  await nextTurn();
  await cr.generate(request);

  const requests = emulator.current.requests({ model: 'conn-keep' });
  expect(requests).toHaveLength(4);
  expect(new Set(requests.map((recorded) => recorded.connectionId)).size).toBe(1);
  expect(built).toBe(1);
});
