import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { buildModel, callOptions, collect, useEmulator, user } from '@reg/testkit/vitest';
import { openai } from '../src/index.js';

const emulator = useEmulator();
const hello = user('Say hello');

function model(name: string) {
  return buildModel(openai, { model: name, base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
}

describe('openai results', () => {
  it('maps text, finish reason, usage with cached tokens and the request id', async () => {
    emulator.current.script('gpt-r1', { reply: { text: 'Hello there.', usage: { inputTokens: 120, outputTokens: 4, cachedInputTokens: 100 } } });
    const result = await model('gpt-r1').doGenerate(hello, callOptions());
    expect(result.content).toEqual([{ type: 'text', text: 'Hello there.' }]);
    expect(result.finishReason).toBe('stop');
    expect(result.rawFinishReason).toBe('stop');
    expect(result.usage).toEqual({ inputTokens: 120, outputTokens: 4, totalTokens: 124, cachedInputTokens: 100 });
    expect(result.requestId).toMatch(/^req_/);
  });

  it('streams text deltas and one finish with usage', async () => {
    emulator.current.script('gpt-r2', { reply: { text: 'Streaming works fine.', usage: { inputTokens: 10, outputTokens: 5 } }, chunkSize: 4 });
    const parts = await collect(model('gpt-r2').doStream(hello, callOptions()));
    const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join('');
    expect(text).toBe('Streaming works fine.');
    expect(parts.filter((part) => part.type === 'text-delta').every((part) => part.type === 'text-delta' && part.text !== '')).toBe(true);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 0 } });
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
  });
});

describe('openai tool calls', () => {
  const weather = { name: 'get_weather', description: 'Weather in a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } };

  it('maps tool calls with parsed JSON input and the tool-calls finish reason', async () => {
    emulator.current.script('gpt-t1', { reply: { toolCalls: [{ id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' } }] } });
    const result = await model('gpt-t1').doGenerate({ ...hello, tools: [weather] }, callOptions());
    expect(result.content).toEqual([{ type: 'tool-call', toolCallId: 'call_a', toolName: 'get_weather', input: { city: 'Paris' } }]);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.rawFinishReason).toBe('tool_calls');
  });

  it('keeps arguments that are not JSON as the raw text', async () => {
    emulator.current.script('gpt-t2', { reply: { toolCalls: [{ id: 'call_b', name: 'get_weather', arguments: '{"city": "Par' }] } });
    const result = await model('gpt-t2').doGenerate({ ...hello, tools: [weather] }, callOptions());
    expect(result.content).toEqual([{ type: 'tool-call', toolCallId: 'call_b', toolName: 'get_weather', input: '{"city": "Par' }]);
  });

  it('maps length and content-filter finish reasons', async () => {
    emulator.current.script('gpt-t4', { sequence: [{ text: 'cut', finishReason: 'length' }, { text: '', finishReason: 'content-filter' }] });
    expect((await model('gpt-t4').doGenerate(hello, callOptions())).finishReason).toBe('length');
    const filtered = await model('gpt-t4').doGenerate(hello, callOptions());
    expect(filtered.finishReason).toBe('content-filter');
    expect(filtered.rawFinishReason).toBe('content_filter');
  });
});
