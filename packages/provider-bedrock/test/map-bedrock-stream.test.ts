import { buildModel, callOptions, collect, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, test } from 'vitest';
import { awsBedrock } from '../src/index.js';
import { emulatorOptions, uniqueModel } from './bedrock-emulator.js';

const emulator = useEmulator();
const hello = user('Hello');

describe('ConverseStream', () => {
  test('text deltas, streamed tool input, a complete tool call, then one finish with usage', async () => {
    const model = uniqueModel('stream');
    emulator.current.script(model, {
      reply: { text: 'Looking it up.', toolCalls: [{ id: 'tooluse_s', name: 'get_weather', arguments: { city: 'Zürich', days: 3 } }], usage: { inputTokens: 50, outputTokens: 9, cachedInputTokens: 40 } },
      chunkSize: 5,
    });
    const parts = await collect(buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doStream({ ...hello, tools: [{ name: 'get_weather', inputSchema: { type: 'object' } }] }, callOptions()));
    const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : []));
    expect(text.join('')).toBe('Looking it up.');
    expect(text.length).toBeGreaterThan(1);
    expect(text.every((delta) => delta !== '')).toBe(true);
    const deltas = parts.flatMap((part) => (part.type === 'tool-call-delta' ? [part] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((delta) => delta.toolCallId === 'tooluse_s' && delta.toolName === 'get_weather')).toBe(true);
    expect(JSON.parse(deltas.map((delta) => delta.inputDelta).join(''))).toEqual({ city: 'Zürich', days: 3 });
    // One complete tool call at its contentBlockStop, then one finish from messageStop and metadata, last.
    expect(parts.filter((part) => part.type === 'tool-call' || part.type === 'finish')).toEqual([
      { type: 'tool-call', toolCallId: 'tooluse_s', toolName: 'get_weather', input: { city: 'Zürich', days: 3 } },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use', usage: { inputTokens: 50, outputTokens: 9, totalTokens: 59, cachedInputTokens: 40 } },
    ]);
    expect(parts.at(-1)?.type).toBe('finish');
    expect(emulator.current.requests({ model })[0]?.path).toBe(`/model/${encodeURIComponent(model)}/converse-stream`);
  });

  test("the finish part's usage counts cache reads and writes in inputTokens, from the metadata event", async () => {
    const model = uniqueModel('stream-usage');
    emulator.current.script(model, { reply: { text: 'Thought.', usage: { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, cacheWriteInputTokens: 300, reasoningTokens: 50 } } });
    const parts = await collect(buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doStream(hello, callOptions()));
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 1500, outputTokens: 80, totalTokens: 1580, cachedInputTokens: 1000, cacheWriteInputTokens: 300 },
    });
  });
});
