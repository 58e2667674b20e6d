import { ClientRegistry } from '@reg/core';
import { readFileSync } from 'node:fs';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useEmulator } from '@reg/testkit/vitest';
import { openai, openaiResponses } from '../src/index.js';

const emulator = useEmulator();
const env = { OPENAI_API_KEY: TEST_CREDENTIALS.openai };

describe('examples without a base_url, with api.openai.com routed to the emulator', () => {
  let previous: Dispatcher;
  beforeAll(() => {
    // The example sets no base_url, so its requests go to api.openai.com: route that origin to the
    // emulator underneath the SDK, leaving the example's options exactly as written.
    previous = getGlobalDispatcher();
    const emulatorOrigin = new URL(emulator.current.url).origin;
    setGlobalDispatcher(new Agent().compose((dispatch) => (options, handler) => dispatch({ ...options, origin: emulatorOrigin }, handler)));
  });
  afterAll(() => setGlobalDispatcher(previous));

  it('BAML\'s ClientRegistry example "Using OpenAI Responses API" answers through its primary', async () => {
    const cr = new ClientRegistry({ providers: [openai, openaiResponses], env });
    // Standard OpenAI client
    cr.addLlmClient('StandardOpenAI', 'openai', { model: 'gpt-4o' });
    // OpenAI Responses API client
    cr.addLlmClient('ResponsesClient', 'openai-responses', { model: 'gpt-4.1' });
    cr.setPrimary('ResponsesClient');

    emulator.current.script('gpt-4.1', { reply: { text: 'Resume extracted.' } });
    const result = await cr.generate({ messages: [{ role: 'user', content: 'Extract this resume.' }] });
    expect(result).toMatchObject({ text: 'Resume extracted.', client: 'ResponsesClient', provider: 'openai-responses', model: 'gpt-4.1' });

    const streamed: string[] = [];
    for await (const part of cr.stream({ messages: [{ role: 'user', content: 'Again, streamed.' }] })) {
      if (part.type === 'text-delta') streamed.push(part.text);
    }
    expect(streamed.join('')).toBe('Resume extracted.');

    const requests = emulator.current.requests();
    expect(requests.map((request) => [request.path, request.model])).toEqual([
      ['/v1/responses', 'gpt-4.1'],
      ['/v1/responses', 'gpt-4.1'],
    ]);
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.openai}`);
  });

  it("the README's openai-responses example loads and answers", async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## openai-responses'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toContain('provider: openai-responses');
    const cr = await ClientRegistry.fromConfig(parse(yaml ?? '') as object, { providers: [openaiResponses], env });
    emulator.current.script('o4-mini', { reply: { text: 'Thought it through.' } });
    const result = await cr.generate({ messages: [{ role: 'user', content: 'Think.' }] });
    expect(result).toMatchObject({ text: 'Thought it through.', client: 'Thinker', provider: 'openai-responses' });
    expect(emulator.current.requests({ model: 'o4-mini' })[0]?.body).toMatchObject({
      max_output_tokens: 2048,
      reasoning: { effort: 'low', summary: 'auto' },
      store: false,
    });
  });
});

describe('the same clients as a YAML config', () => {
  it('loads with ${ENV} values and answers through the emulator', async () => {
    const yaml = `
primary: ResponsesClient
clients:
  - name: StandardOpenAI
    provider: openai
    options: { model: gpt-4o }
  - name: ResponsesClient
    provider: openai-responses
    options:
      model: gpt-4.1
      api_key: \${OPENAI_API_KEY}
      base_url: \${OPENAI_BASE_URL}
      max_output_tokens: 200
      reasoning: { effort: low }
`;
    const cr = await ClientRegistry.fromConfig(parse(yaml) as object, {
      providers: [openai, openaiResponses],
      env: { ...env, OPENAI_BASE_URL: emulator.current.baseUrls.openai },
    });
    const result = await cr.generate({ messages: [{ role: 'user', content: 'Hello from YAML.' }] });
    expect(result).toMatchObject({ text: 'echo: Hello from YAML.', client: 'ResponsesClient', finishReason: 'stop' });
    expect(emulator.current.requests()[0]?.body).toMatchObject({ model: 'gpt-4.1', max_output_tokens: 200, reasoning: { effort: 'low' } });
  });
});
