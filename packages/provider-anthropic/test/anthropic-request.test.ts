import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { call, createModel, hello, sentBody, useEmulator } from './helpers.js';

const emulator = useEmulator();
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const weather = { name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

describe('anthropic request mapping', () => {
  it('sends the defaults: max_tokens 4096, the key as the SDK sends it, the SDK anthropic-version', async () => {
    await createModel(emulator.current, 'claude-defaults').doGenerate(hello, call());
    const [request] = emulator.current.requests({ model: 'claude-defaults' });
    expect(request?.path).toBe('/v1/messages');
    expect(request?.body).toEqual({ model: 'claude-defaults', max_tokens: 4096, messages: [{ role: 'user', content: 'Hello' }] });
    // @anthropic-ai/sdk 1.x sends apiKey as a bearer token (the API takes it as it takes x-api-key).
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.anthropic}`);
    expect(request?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request?.headers['x-stainless-retry-count']).toBe('0');
  });

  it('applies client options, with the request winning and providerOptions.anthropic over all', async () => {
    const model = createModel(emulator.current, 'claude-options', {
      max_tokens: 512,
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-7' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      anthropic_version: '2023-06-01',
      headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' },
      service_tier: 'auto',
    });
    await model.doGenerate(hello, call());
    await model.doGenerate(
      { ...hello, maxTokens: 64, temperature: 0.7, topP: 0.5, stopSequences: ['STOP'], providerOptions: { anthropic: { top_k: 5, service_tier: 'standard_only' }, openai: { seed: 1 } } },
      call(),
    );
    const [first, second] = emulator.current.requests({ model: 'claude-options' });
    expect(first?.body).toEqual({
      model: 'claude-options',
      max_tokens: 512,
      messages: [{ role: 'user', content: 'Hello' }],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-7' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      service_tier: 'auto',
    });
    expect(first?.headers['anthropic-version']).toBe('2023-06-01');
    expect(first?.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    expect(second?.body).toMatchObject({ max_tokens: 64, temperature: 0.7, top_p: 0.5, stop_sequences: ['STOP'], top_k: 5, service_tier: 'standard_only' });
    expect(second?.body).not.toHaveProperty('seed');
  });

  it('puts system messages in system: a string, or text blocks when a part has cache control', async () => {
    const model = createModel(emulator.current, 'claude-system');
    await model.doGenerate({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'system', content: [{ type: 'text', text: 'Be kind.' }] }, ...hello.messages] }, call());
    await model.doGenerate(
      {
        messages: [
          {
            role: 'system',
            content: [
              { type: 'text', text: 'A long stable preamble.', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
              { type: 'text', text: 'Today is Monday.' },
            ],
          },
          { role: 'user', content: [{ type: 'text', text: 'A long document.', providerOptions: { anthropic: { cache_control: { type: 'ephemeral', ttl: '1h' } } } }, { type: 'text', text: 'Summarise it.' }] },
        ],
      },
      call(),
    );
    expect(sentBody(emulator.current, 'claude-system', 0).system).toBe('Be brief.\n\nBe kind.');
    const cached = sentBody(emulator.current, 'claude-system', 1);
    expect(cached.system).toEqual([
      { type: 'text', text: 'A long stable preamble.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Today is Monday.' },
    ]);
    expect(cached.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'A long document.', cache_control: { type: 'ephemeral', ttl: '1h' } },
          { type: 'text', text: 'Summarise it.' },
        ],
      },
    ]);
  });

  it('sends images as URL, data URL, base64 with its type, and bytes (type recognised)', async () => {
    await createModel(emulator.current, 'claude-images').doGenerate(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare these.' },
              { type: 'image', image: 'https://example.com/cat.jpg' },
              { type: 'image', image: `data:image/png;base64,${PNG_BASE64}` },
              { type: 'image', image: PNG_BASE64, mediaType: 'image/png', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
              { type: 'image', image: new Uint8Array(Buffer.from(PNG_BASE64, 'base64')) },
            ],
          },
        ],
      },
      call(),
    );
    const content = (sentBody(emulator.current, 'claude-images').messages as Array<{ content: unknown[] }>)[0]?.content;
    const png = { type: 'base64', media_type: 'image/png', data: PNG_BASE64 };
    expect(content).toEqual([
      { type: 'text', text: 'Compare these.' },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'image', source: png },
      { type: 'image', source: png, cache_control: { type: 'ephemeral' } },
      { type: 'image', source: png },
    ]);
  });

  it('refuses an image type the API does not take, before any request', async () => {
    const model = createModel(emulator.current, 'claude-bad-image');
    const error = await model.doGenerate({ messages: [{ role: 'user', content: [{ type: 'image', image: 'AAAA', mediaType: 'image/tiff' }] }] }, call()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect((error as Error).message).toContain('image/tiff');
    const untyped = await model.doGenerate({ messages: [{ role: 'user', content: [{ type: 'image', image: 'AAAA' }] }] }, call()).catch((caught: unknown) => caught);
    expect((untyped as Error).message).toContain('set its mediaType');
    expect(emulator.current.requests({ model: 'claude-bad-image' })).toHaveLength(0);
  });

  it('sends a tool conversation: tool_use blocks, tool results merged with the next user text', async () => {
    await createModel(emulator.current, 'claude-turns').doGenerate(
      {
        messages: [
          { role: 'user', content: 'Weather in Paris and Oslo?' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: '' },
              { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool-call', toolCallId: 'toolu_2', toolName: 'get_weather', input: { city: 'Oslo' } },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'toolu_1', toolName: 'get_weather', output: { celsius: 21 } },
              { type: 'tool-result', toolCallId: 'toolu_2', toolName: 'get_weather', output: 'service down', isError: true },
            ],
          },
          { role: 'user', content: 'Which is warmer?' },
        ],
        tools: [weather],
        toolChoice: 'auto',
      },
      call(),
    );
    const body = sentBody(emulator.current, 'claude-turns');
    expect(body.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Oslo?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"celsius":21}' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'service down', is_error: true },
          { type: 'text', text: 'Which is warmer?' },
        ],
      },
    ]);
    expect(body.tools).toEqual([{ name: 'get_weather', description: 'Weather for a city', input_schema: weather.inputSchema }]);
    expect(body.tool_choice).toEqual({ type: 'auto' });
  });

  it('maps tool choices, and sends none without tools', async () => {
    const model = createModel(emulator.current, 'claude-choice');
    for (const toolChoice of ['required', 'none', { type: 'tool', toolName: 'get_weather' }] as const) {
      await model.doGenerate({ ...hello, tools: [weather], toolChoice }, call());
    }
    await model.doGenerate({ ...hello, toolChoice: 'required' }, call());
    const choices = emulator.current.requests({ model: 'claude-choice' }).map((request) => (request.body as { tool_choice?: unknown }).tool_choice);
    expect(choices).toEqual([{ type: 'any' }, { type: 'none' }, { type: 'tool', name: 'get_weather' }, undefined]);
  });

  it('asks for JSON: with a schema through output_config.format, without one by instruction', async () => {
    const model = createModel(emulator.current, 'claude-json');
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
    await model.doGenerate({ ...hello, responseFormat: { type: 'json', schema } }, call());
    await model.doGenerate({ messages: [{ role: 'system', content: 'Extract the name.' }, ...hello.messages], responseFormat: { type: 'json' } }, call());
    expect(sentBody(emulator.current, 'claude-json', 0).output_config).toEqual({ format: { type: 'json_schema', schema } });
    const instructed = sentBody(emulator.current, 'claude-json', 1);
    expect(instructed.output_config).toBeUndefined();
    expect(instructed.system).toMatch(/^Extract the name\.\n\nRespond with a single valid JSON value/);
  });
});
