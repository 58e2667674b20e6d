import { ClientRegistry, type ChatRequest } from '@reg/core';
import { sentBody, useEmulator } from '@reg/testkit/vitest';
import { expect, it } from 'vitest';
import { echo } from '../src/index.js';
import { ECHO_TEST_KEY, echoBaseUrl, echoRoutes } from '../src/testing/index.js';

const emulator = useEmulator({ routes: echoRoutes });
let counter = 0;

/** Sends one request through a registry and returns the body the Echo API received. */
async function bodyFor(request: ChatRequest, options: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const model = `request-${++counter}`;
  const registry = new ClientRegistry({ providers: [echo], env: {} });
  registry.addLlmClient('Echo', 'echo', { model, base_url: echoBaseUrl(emulator.current.url), api_key: ECHO_TEST_KEY, ...options });
  await registry.generate(request, { client: 'Echo' });
  return sentBody(emulator.current, model);
}

it('maps messages: system text as instructions, images as base64 or URL, model tool calls, tool results', async () => {
  const body = await bodyFor({
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'One.' }, { type: 'text', text: 'Two.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', image: 'https://example.com/cat.png' },
          { type: 'image', image: new Uint8Array([1, 2, 3]), mediaType: 'image/jpeg' },
          { type: 'image', image: 'data:image/gif;base64,R0lGODlh' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'look', input: { at: 'cat' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'look', output: { seen: 'a cat' }, isError: true }] },
    ],
  });
  expect(body.instructions).toBe('One.\n\nTwo.');
  expect(body.turns).toEqual([
    {
      from: 'user',
      parts: [
        { text: 'What is this?' },
        { image: { url: 'https://example.com/cat.png' } },
        { image: { base64: 'AQID', media_type: 'image/jpeg' } },
        { image: { base64: 'R0lGODlh', media_type: 'image/gif' } },
      ],
    },
    { from: 'model', parts: [{ call: { id: 'call_1', tool: 'look', args: { at: 'cat' } } }] },
    { from: 'tool', parts: [{ result: { id: 'call_1', tool: 'look', value: { seen: 'a cat' }, failed: true } }] },
  ]);
});

it('maps tools, a forced tool choice and a JSON response format, with and without a schema', async () => {
  const schema = { type: 'object', properties: { city: { type: 'string' } } };
  const body = await bodyFor({
    messages: [{ role: 'user', content: 'Weather?' }],
    tools: [{ name: 'get_weather', description: 'Weather now.', inputSchema: schema }],
    toolChoice: { type: 'tool', toolName: 'get_weather' },
    responseFormat: { type: 'json', schema, name: 'weather' },
  });
  expect(body.tools).toEqual([{ name: 'get_weather', about: 'Weather now.', args: schema }]);
  expect(body.tool_mode).toEqual({ only: 'get_weather' });
  expect(body.format).toEqual({ type: 'json', schema });
  const plain = await bodyFor({ messages: [{ role: 'user', content: 'JSON.' }], responseFormat: { type: 'json' }, toolChoice: 'required' });
  expect(plain.format).toEqual({ type: 'json' });
  expect(plain.tool_mode).toBe('must');
  expect((await bodyFor({ messages: [{ role: 'user', content: 'No tools.' }], toolChoice: 'none' })).tool_mode).toBe('off');
});

it('client options are defaults, the request wins, providerOptions.echo comes last, unknown options pass through', async () => {
  const body = await bodyFor(
    { messages: [{ role: 'user', content: 'Hi' }], temperature: 0.9, topP: 0.5, stopSequences: ['END'], providerOptions: { echo: { seed: 7 }, other: { ignored: true } } },
    { temperature: 0.1, max_tokens: 64, top_k: 40 },
  );
  expect(body).toMatchObject({ temperature: 0.9, limit: 64, top_p: 0.5, stop: ['END'], top_k: 40, seed: 7, stream: false });
  expect(body).not.toHaveProperty('ignored');
  expect(body).not.toHaveProperty('instructions');
});

it('headers are sent, and a configured X-Echo-Key replaces the key', async () => {
  const model = `headers-${++counter}`;
  const registry = new ClientRegistry({ providers: [echo], env: { ECHO_API_KEY: 'from-the-environment' } });
  registry.addLlmClient('Echo', 'echo', { model, base_url: echoBaseUrl(emulator.current.url), headers: { 'X-Team': 'search', 'X-Echo-Key': ECHO_TEST_KEY } });
  await registry.generate({ messages: [{ role: 'user', content: 'Hi' }] }, { client: 'Echo' });
  const headers = emulator.current.requests({ model })[0]?.headers;
  expect(headers?.['x-team']).toBe('search');
  expect(headers?.['x-echo-key']).toBe(ECHO_TEST_KEY);
});
