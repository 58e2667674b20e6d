import { callOptions, user, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { mapGoogleUsage } from '../src/map-google-response.js';
import { geminiModel, vertexModel } from './google-models.js';

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

  it('usage in reg\'s meaning: thoughts and candidates are output, the tool-use prompt is input, cached content a part of it', () => {
    expect(mapGoogleUsage({ promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 20, totalTokenCount: 35 })).toEqual({
      inputTokens: 10,
      outputTokens: 25,
      totalTokens: 35,
      reasoningTokens: 20,
    });
    // A recorded Gemini 3 answer with a server-side tool: 55 + 89 + 51 + 56 = 251.
    expect(
      mapGoogleUsage({ promptTokenCount: 55, toolUsePromptTokenCount: 89, candidatesTokenCount: 51, thoughtsTokenCount: 56, cachedContentTokenCount: 40, totalTokenCount: 251 }),
    ).toEqual({ inputTokens: 144, outputTokens: 107, totalTokens: 251, cachedInputTokens: 40, reasoningTokens: 56 });
    expect(mapGoogleUsage(undefined)).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });

  it('maps the emulator\'s Gemini arithmetic back: cache reads, reasoning, no cache writes', async () => {
    const usage = { inputTokens: 120, outputTokens: 50, cachedInputTokens: 80, cacheWriteInputTokens: 10, reasoningTokens: 30 };
    emulator.current.script('gemini-usage', { reply: { text: 'Answer.', usage } });
    const result = await gemini('gemini-usage').doGenerate(user('x'), callOptions());
    expect(result.usage).toEqual({ inputTokens: 120, outputTokens: 50, totalTokens: 170, cachedInputTokens: 80, reasoningTokens: 30 });
    emulator.current.script('vertex-usage', { reply: { text: 'Answer.', usage } });
    const vertex = await vertexModel(emulator.current, 'vertex-usage').doGenerate(user('x'), callOptions());
    expect(vertex.usage).toEqual(result.usage);
  });
});
