import { ClientRegistry, type ChatRequest } from '@reg/core';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { echo } from '../src/index.js';

let emulator: RunningEmulator;
let counter = 0;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator?.close());

/** Sends one request through a registry and returns the body the server received. */
async function sentBody(request: ChatRequest, options: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const model = `request-${++counter}`;
  const registry = new ClientRegistry({ providers: [echo], env: {} });
  registry.addLlmClient('Echo', 'echo', { model, base_url: emulator.baseUrls.openai, api_key: TEST_CREDENTIALS.openai, ...options });
  await registry.generate(request, { client: 'Echo' });
  return emulator.requests({ model })[0]?.body as Record<string, unknown>;
}

it('maps messages: system parts joined, images as image_url, assistant tool calls, tool results', async () => {
  const body = await sentBody({
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'One.' }, { type: 'text', text: 'Two.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', image: 'https://example.com/cat.png' },
          { type: 'image', image: new Uint8Array([1, 2, 3]), mediaType: 'image/jpeg' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'look', input: { at: 'cat' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'look', output: { seen: 'a cat' } }] },
    ],
  });
  expect(body.messages).toEqual([
    { role: 'system', content: 'One.\n\nTwo.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
        { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AQID' } },
      ],
    },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"at":"cat"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: '{"seen":"a cat"}' },
  ]);
});

it('maps tools, a forced tool choice and a JSON schema response format', async () => {
  const schema = { type: 'object', properties: { city: { type: 'string' } } };
  const body = await sentBody({
    messages: [{ role: 'user', content: 'Weather?' }],
    tools: [{ name: 'get_weather', description: 'Weather now.', inputSchema: schema }],
    toolChoice: { type: 'tool', toolName: 'get_weather' },
    responseFormat: { type: 'json', schema, name: 'weather' },
  });
  expect(body.tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather now.', parameters: schema } }]);
  expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
  expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'weather', schema } });
  expect((await sentBody({ messages: [{ role: 'user', content: 'JSON.' }], responseFormat: { type: 'json' } })).response_format).toEqual({ type: 'json_object' });
});

it('client options are defaults, the request wins, providerOptions.echo comes last, unknown options pass through', async () => {
  const body = await sentBody(
    { messages: [{ role: 'user', content: 'Hi' }], temperature: 0.9, topP: 0.5, stopSequences: ['END'], providerOptions: { echo: { seed: 7 }, other: { ignored: true } } },
    { temperature: 0.1, max_tokens: 64, top_k: 40 },
  );
  expect(body).toMatchObject({ temperature: 0.9, max_tokens: 64, top_p: 0.5, stop: ['END'], top_k: 40, seed: 7, stream: false });
  expect(body).not.toHaveProperty('ignored');
  expect(body).not.toHaveProperty('stream_options');
});

it('headers are sent, and a configured Authorization replaces the bearer key', async () => {
  const model = `headers-${++counter}`;
  const registry = new ClientRegistry({ providers: [echo], env: { ECHO_API_KEY: 'from-the-environment' } });
  registry.addLlmClient('Echo', 'echo', { model, base_url: emulator.baseUrls.openai, headers: { 'X-Team': 'search', Authorization: `Bearer ${TEST_CREDENTIALS.openai}` } });
  await registry.generate({ messages: [{ role: 'user', content: 'Hi' }] }, { client: 'Echo' });
  const headers = emulator.requests({ model })[0]?.headers;
  expect(headers?.['x-team']).toBe('search');
  expect(headers?.authorization).toBe(`Bearer ${TEST_CREDENTIALS.openai}`);
});
