import { callOptions, sentBody, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { anthropicModel } from './anthropic-test-client.js';

const emulator = useEmulator();
const hello = user('Hello');
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const weather = { name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

describe('anthropic message conversion', () => {
  it('puts system messages in system: a string, or text blocks when a part has cache control', async () => {
    const model = anthropicModel(emulator.current, 'claude-system');
    await model.doGenerate({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'system', content: [{ type: 'text', text: 'Be kind.' }] }, ...hello.messages] }, callOptions());
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
      callOptions(),
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
    await anthropicModel(emulator.current, 'claude-images').doGenerate(
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
      callOptions(),
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
    const model = anthropicModel(emulator.current, 'claude-bad-image');
    const error = await model.doGenerate({ messages: [{ role: 'user', content: [{ type: 'image', image: 'AAAA', mediaType: 'image/tiff' }] }] }, callOptions()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect((error as Error).message).toContain('image/tiff');
    const untyped = await model.doGenerate({ messages: [{ role: 'user', content: [{ type: 'image', image: 'AAAA' }] }] }, callOptions()).catch((caught: unknown) => caught);
    expect((untyped as Error).message).toContain('set its mediaType');
    expect(emulator.current.requests({ model: 'claude-bad-image' })).toHaveLength(0);
  });

  it('sends a tool conversation: tool_use blocks, tool results merged with the next user text', async () => {
    await anthropicModel(emulator.current, 'claude-turns').doGenerate(
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
      callOptions(),
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
});
