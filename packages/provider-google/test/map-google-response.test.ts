import { callOptions, user, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { mapGoogleUsage } from '../src/map-google-response.js';
import { geminiModel } from './gemini-model.js';

const emulator = useEmulator();
const gemini = (model: string) => geminiModel(emulator.current, model);

describe('google-ai results', () => {
  it('returns text, usage with cached tokens, finish reason and the response id', async () => {
    emulator.current.script('gemini-text', { reply: { text: 'Hello there', usage: { inputTokens: 100, outputTokens: 4, cachedInputTokens: 60 } } });
    const result = await gemini('gemini-text').doGenerate(user('Hi'), callOptions());
    expect(result.content).toEqual([{ type: 'text', text: 'Hello there' }]);
    expect(result.finishReason).toBe('stop');
    expect(result.rawFinishReason).toBe('STOP');
    expect(result.usage).toEqual({ inputTokens: 100, outputTokens: 4, totalTokens: 104, cachedInputTokens: 60 });
    expect(result.requestId).toMatch(/^[\w-]{20}$/);
  });

  it('returns function calls with generated stable ids and finish reason tool-calls', async () => {
    emulator.current.script('gemini-tools', { reply: { toolCalls: [{ name: 'a', arguments: { x: 1 } }, { name: 'b', arguments: { y: 2 } }] } });
    const result = await gemini('gemini-tools').doGenerate(user('go'), callOptions());
    expect(result.finishReason).toBe('tool-calls');
    const calls = result.content.filter((part) => part.type === 'tool-call');
    expect(calls.map((part) => [part.toolName, part.input])).toEqual([
      ['a', { x: 1 }],
      ['b', { y: 2 }],
    ]);
    expect(calls[0]?.toolCallId).toBe(`gemini-call-${result.requestId}-0`);
    expect(calls[1]?.toolCallId).toBe(`gemini-call-${result.requestId}-1`);
  });

  it('keeps the ids Gemini sends', async () => {
    emulator.current.script('gemini-ids', { reply: { toolCalls: [{ id: 'fc-1', name: 'a', arguments: {} }] } });
    const result = await gemini('gemini-ids').doGenerate(user('go'), callOptions());
    expect(result.content).toEqual([{ type: 'tool-call', toolCallId: 'fc-1', toolName: 'a', input: {} }]);
  });

  it('maps MAX_TOKENS to length and SAFETY to content-filter', async () => {
    emulator.current.script('gemini-finish', { sequence: [{ text: 'cut', finishReason: 'length' }, { finishReason: 'content-filter' }] });
    expect((await gemini('gemini-finish').doGenerate(user('x'), callOptions())).finishReason).toBe('length');
    const blocked = await gemini('gemini-finish').doGenerate(user('x'), callOptions());
    expect(blocked).toMatchObject({ finishReason: 'content-filter', rawFinishReason: 'SAFETY', content: [] });
  });

  it('counts thinking tokens as output', () => {
    expect(mapGoogleUsage({ promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 20, totalTokenCount: 35 })).toEqual({
      inputTokens: 10,
      outputTokens: 25,
      totalTokens: 35,
    });
  });
});
