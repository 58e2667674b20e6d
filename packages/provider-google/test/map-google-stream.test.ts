import { callOptions, collect, user, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { geminiModel, vertexModel } from './google-models.js';

const emulator = useEmulator();
const gemini = (model: string) => geminiModel(emulator.current, model);

describe('google-ai streaming', () => {
  it('streams text deltas, then one finish with usage', async () => {
    emulator.current.script('gemini-stream', { reply: { text: 'Streaming in pieces.', usage: { inputTokens: 7, outputTokens: 5 } }, chunkSize: 5 });
    const parts = await collect(gemini('gemini-stream').doStream(user('go'), callOptions()));
    const deltas = parts.filter((part) => part.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((part) => part.text).join('')).toBe('Streaming in pieces.');
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', rawFinishReason: 'STOP', usage: { inputTokens: 7, outputTokens: 5, totalTokens: 12 } });
    expect(emulator.current.requests({ model: 'gemini-stream' })[0]?.query).toEqual({ alt: 'sse' });
  });

  it('yields one tool-call-delta with the whole JSON, then the tool call, and tool-calls at the end', async () => {
    emulator.current.script('gemini-stream-tools', { reply: { text: 'Checking.', toolCalls: [{ name: 'lookup', arguments: { q: 'Paris' } }] }, chunkSize: 4 });
    const parts = await collect(gemini('gemini-stream-tools').doStream(user('go'), callOptions()));
    const delta = parts.find((part) => part.type === 'tool-call-delta');
    const toolCall = parts.find((part) => part.type === 'tool-call');
    expect(delta).toMatchObject({ toolName: 'lookup', inputDelta: '{"q":"Paris"}' });
    expect(toolCall).toMatchObject({ toolName: 'lookup', input: { q: 'Paris' }, toolCallId: delta?.type === 'tool-call-delta' ? delta.toolCallId : '' });
    expect(parts.indexOf(delta!)).toBe(parts.indexOf(toolCall!) - 1);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
  });

  it('the finish part carries usage in reg\'s meaning, on both APIs: cache reads, reasoning, no cache writes', async () => {
    const usage = { inputTokens: 120, outputTokens: 50, cachedInputTokens: 80, cacheWriteInputTokens: 10, reasoningTokens: 30 };
    const expected = { inputTokens: 120, outputTokens: 50, totalTokens: 170, cachedInputTokens: 80, reasoningTokens: 30 };
    emulator.current.script('usage-stream', { reply: { text: 'A streamed answer.', usage }, chunkSize: 4 });
    for (const model of [gemini('usage-stream'), vertexModel(emulator.current, 'usage-stream')]) {
      const finish = (await collect(model.doStream(user('go'), callOptions()))).at(-1);
      expect(finish?.type === 'finish' ? finish.usage : undefined).toEqual(expected);
    }
  });
});
