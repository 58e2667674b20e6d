import Anthropic from '@anthropic-ai/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { useEmulator } from '../vitest.js';

const emulator = useEmulator();
let client: Anthropic;

beforeAll(() => {
  client = new Anthropic({ apiKey: TEST_CREDENTIALS.anthropic, baseURL: emulator.current.url, maxRetries: 0 });
});

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('anthropic messages (JSON)', () => {
  it('answers a text reply as a Message and records the request', async () => {
    emulator.current.script('claude-test', { reply: { text: 'Hello there, friend.' } });
    const message = await client.messages.create({
      model: 'claude-test',
      max_tokens: 64,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.model).toBe('claude-test');
    expect(message.id).toMatch(/^msg_[A-Za-z0-9]{24}$/);
    expect(message.content).toEqual([{ type: 'text', text: 'Hello there, friend.', citations: null }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.stop_sequence).toBeNull();
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBe(Math.ceil('Hello there, friend.'.length / 4));
    expect(message.usage.cache_read_input_tokens).toBe(0);
    expect(message.usage.cache_creation_input_tokens).toBe(0);
    expect(message._request_id).toMatch(/^req_/);

    const [request] = emulator.current.requests({ model: 'claude-test' });
    expect(request?.vendor).toBe('anthropic');
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/messages');
    // SDK 1.x sends the API key as a bearer token, not as x-api-key.
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.anthropic}`);
    expect(request?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request?.headers['content-type']).toContain('application/json');
    expect(request?.body).toEqual({
      model: 'claude-test',
      max_tokens: 64,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
  });

  it('echoes the last user text when the model is not scripted', async () => {
    const message = await client.messages.create({
      model: 'claude-unscripted',
      max_tokens: 16,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'ping me' }] }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'echo: ping me' });
  });

  it('renders tool calls as tool_use blocks with parsed input', async () => {
    emulator.current.script('claude-tools', {
      reply: {
        text: 'Checking.',
        toolCalls: [
          { id: 'toolu_fixed', name: 'get_weather', arguments: { city: 'Paris' } },
          { name: 'get_weather', arguments: '{"city":"Oslo"}' },
        ],
      },
    });
    const message = await client.messages.create({
      model: 'claude-tools',
      max_tokens: 64,
      tools: [weatherTool],
      tool_choice: { type: 'auto' },
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toHaveLength(3);
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Checking.' });
    expect(message.content[1]).toMatchObject({ type: 'tool_use', id: 'toolu_fixed', name: 'get_weather', input: { city: 'Paris' } });
    expect(message.content[2]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Oslo' } });
    expect((message.content[2] as Anthropic.ToolUseBlock).id).toMatch(/^toolu_[A-Za-z0-9]{24}$/);
    expect((emulator.current.requests()[0]?.body as { tools: unknown[] }).tools).toEqual([weatherTool]);
  });

  it('accepts a tool_result answering the previous tool_use', async () => {
    emulator.current.script('claude-tools', { reply: { text: 'Sunny in Paris.' } });
    const message = await client.messages.create({
      model: 'claude-tools',
      max_tokens: 64,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }] },
      ],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Sunny in Paris.' });
  });

  it('maps finish reasons to Anthropic stop reasons', async () => {
    emulator.current.script('claude-finish', {
      sequence: [
        { text: 'cut sh', finishReason: 'length' },
        { text: '', finishReason: 'content-filter' },
        { text: 'done', finishReason: 'stop' },
      ],
    });
    const ask = () => client.messages.create({ model: 'claude-finish', max_tokens: 8, messages: [{ role: 'user', content: 'go' }] });
    const length = await ask();
    expect(length.stop_reason).toBe('max_tokens');
    const refusal = await ask();
    expect(refusal.stop_reason).toBe('refusal');
    expect(refusal.stop_details).toEqual({ type: 'refusal', category: null, explanation: null });
    expect((await ask()).stop_reason).toBe('end_turn');
  });

  it('reports scripted usage, with cache reads split out of input_tokens', async () => {
    emulator.current.script('claude-cache', { reply: { text: 'cached', usage: { inputTokens: 1200, outputTokens: 7, cachedInputTokens: 1000 } } });
    const message = await client.messages.create({ model: 'claude-cache', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.usage).toMatchObject({
      input_tokens: 200,
      output_tokens: 7,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 0,
    });
  });

  it('reports cache writes and thinking tokens in Anthropic\'s fields: input_tokens without reads and writes, output_tokens with thinking', async () => {
    emulator.current.script('claude-usage', {
      sequence: [
        { text: 'cached', usage: { inputTokens: 1500, outputTokens: 40, cachedInputTokens: 1000, cacheWriteInputTokens: 300, reasoningTokens: 25 } },
        { text: 'plain', usage: { inputTokens: 50, outputTokens: 5 } },
      ],
    });
    const ask = () => client.messages.create({ model: 'claude-usage', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    expect((await ask()).usage).toMatchObject({
      input_tokens: 200,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 0 },
      output_tokens: 40,
      output_tokens_details: { thinking_tokens: 25 },
    });
    // As the API reports it on every answer: zero cache counts, and no thinking breakdown where none was scripted.
    expect((await ask()).usage).toMatchObject({ input_tokens: 50, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 5, output_tokens_details: null });
  });

  it('records anthropic-beta from the beta client', async () => {
    emulator.current.script('claude-beta', { reply: { text: 'beta' } });
    const message = await client.beta.messages.create({
      model: 'claude-beta',
      max_tokens: 8,
      betas: ['prompt-caching-2024-07-31'],
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'beta' });
    const [request] = emulator.current.requests({ model: 'claude-beta' });
    expect(request?.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    expect(request?.path).toBe('/v1/messages');
    expect(request?.query).toEqual({});
  });

  it('accepts the key sent as x-api-key', async () => {
    const keyClient = new Anthropic({
      apiKey: null,
      defaultHeaders: { 'X-Api-Key': TEST_CREDENTIALS.anthropic },
      baseURL: emulator.current.url,
      maxRetries: 0,
    });
    const message = await keyClient.messages.create({ model: 'claude-key', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'echo: hi' });
    const [request] = emulator.current.requests({ model: 'claude-key' });
    expect(request?.headers['x-api-key']).toBe(TEST_CREDENTIALS.anthropic);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('accepts an auth token sent as Authorization: Bearer', async () => {
    const tokenClient = new Anthropic({ apiKey: null, authToken: TEST_CREDENTIALS.anthropic, baseURL: emulator.current.url, maxRetries: 0 });
    const message = await tokenClient.messages.create({ model: 'claude-token', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'echo: hi' });
    const [request] = emulator.current.requests({ model: 'claude-token' });
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.anthropic}`);
    expect(request?.headers['x-api-key']).toBeUndefined();
  });
});
