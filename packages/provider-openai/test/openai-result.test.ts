import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { openai } from '../src/index.js';
import { buildModel, call, collect, hello, useEmulator } from './helpers.js';

const emulator = useEmulator();

function model(name: string) {
  return buildModel(openai, { model: name, base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
}

describe('openai results', () => {
  it('maps text, finish reason, usage with cached tokens and the request id', async () => {
    emulator.current.script('gpt-r1', { reply: { text: 'Hello there.', usage: { inputTokens: 120, outputTokens: 4, cachedInputTokens: 100 } } });
    const result = await model('gpt-r1').doGenerate(hello, call());
    expect(result.content).toEqual([{ type: 'text', text: 'Hello there.' }]);
    expect(result.finishReason).toBe('stop');
    expect(result.rawFinishReason).toBe('stop');
    expect(result.usage).toEqual({ inputTokens: 120, outputTokens: 4, totalTokens: 124, cachedInputTokens: 100 });
    expect(result.requestId).toMatch(/^req_/);
  });

  it('streams text deltas and one finish with usage', async () => {
    emulator.current.script('gpt-r2', { reply: { text: 'Streaming works fine.', usage: { inputTokens: 10, outputTokens: 5 } }, chunkSize: 4 });
    const parts = await collect(model('gpt-r2').doStream(hello, call()));
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
    const result = await model('gpt-t1').doGenerate({ ...hello, tools: [weather] }, call());
    expect(result.content).toEqual([{ type: 'tool-call', toolCallId: 'call_a', toolName: 'get_weather', input: { city: 'Paris' } }]);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.rawFinishReason).toBe('tool_calls');
  });

  it('keeps arguments that are not JSON as the raw text', async () => {
    emulator.current.script('gpt-t2', { reply: { toolCalls: [{ id: 'call_b', name: 'get_weather', arguments: '{"city": "Par' }] } });
    const result = await model('gpt-t2').doGenerate({ ...hello, tools: [weather] }, call());
    expect(result.content).toEqual([{ type: 'tool-call', toolCallId: 'call_b', toolName: 'get_weather', input: '{"city": "Par' }]);
  });

  it('streams tool-call deltas, then each complete call, then finish', async () => {
    emulator.current.script('gpt-t3', {
      reply: {
        toolCalls: [
          { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } },
          { id: 'call_2', name: 'get_weather', arguments: { city: 'Oslo' } },
        ],
      },
      chunkSize: 5,
    });
    const parts = await collect(model('gpt-t3').doStream({ ...hello, tools: [weather] }, call()));
    const deltas = parts.filter((part) => part.type === 'tool-call-delta');
    expect(deltas.length).toBeGreaterThan(2);
    for (const id of ['call_1', 'call_2']) {
      const text = deltas.flatMap((part) => (part.type === 'tool-call-delta' && part.toolCallId === id ? [part.inputDelta] : [])).join('');
      expect(JSON.parse(text)).toEqual({ city: id === 'call_1' ? 'Paris' : 'Oslo' });
    }
    expect(deltas.every((part) => part.type === 'tool-call-delta' && part.toolName === 'get_weather')).toBe(true);
    expect(parts.filter((part) => part.type === 'tool-call')).toEqual([
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool-call', toolCallId: 'call_2', toolName: 'get_weather', input: { city: 'Oslo' } },
    ]);
    const last = parts.at(-1);
    expect(last?.type === 'finish' && last.finishReason).toBe('tool-calls');
  });

  it('maps length and content-filter finish reasons', async () => {
    emulator.current.script('gpt-t4', { sequence: [{ text: 'cut', finishReason: 'length' }, { text: '', finishReason: 'content-filter' }] });
    expect((await model('gpt-t4').doGenerate(hello, call())).finishReason).toBe('length');
    const filtered = await model('gpt-t4').doGenerate(hello, call());
    expect(filtered.finishReason).toBe('content-filter');
    expect(filtered.rawFinishReason).toBe('content_filter');
  });
});
