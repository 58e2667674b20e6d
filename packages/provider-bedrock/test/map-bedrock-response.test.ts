import { buildModel, callOptions, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, test } from 'vitest';
import { awsBedrock } from '../src/index.js';
import { emulatorOptions, uniqueModel } from './bedrock-emulator.js';

const emulator = useEmulator();
const hello = user('Hello');

describe('Converse results', () => {
  test('text, stop reason, request id and usage with cache reads counted in inputTokens', async () => {
    const model = uniqueModel('result');
    emulator.current.script(model, { reply: { text: 'Hi there.', usage: { inputTokens: 30, outputTokens: 4, cachedInputTokens: 20 } } });
    const result = await buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate(hello, callOptions());
    expect(result).toEqual({
      content: [{ type: 'text', text: 'Hi there.' }],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      // Bedrock reports inputTokens 10 + cacheReadInputTokens 20, and cacheWriteInputTokens 0: no writes to report.
      usage: { inputTokens: 30, outputTokens: 4, totalTokens: 34, cachedInputTokens: 20 },
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  test('cache writes count in inputTokens too; reasoning stays in outputTokens, which Converse does not split', async () => {
    const model = uniqueModel('result-cache-writes');
    emulator.current.script(model, { reply: { text: 'Thought.', usage: { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, cacheWriteInputTokens: 300, reasoningTokens: 50 } } });
    const result = await buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate(hello, callOptions());
    // On the wire: inputTokens 200, cacheReadInputTokens 1000, cacheWriteInputTokens 300, outputTokens 80.
    expect(result.usage).toEqual({ inputTokens: 1500, outputTokens: 80, totalTokens: 1580, cachedInputTokens: 1000, cacheWriteInputTokens: 300 });
  });

  test('tool calls with parsed input', async () => {
    const model = uniqueModel('result-tools');
    emulator.current.script(model, { reply: { text: 'Checking.', toolCalls: [{ id: 'tooluse_a', name: 'get_weather', arguments: { city: 'Oslo' } }] } });
    const result = await buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate(
      { ...hello, tools: [{ name: 'get_weather', inputSchema: { type: 'object' } }] },
      callOptions(),
    );
    expect(result.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', toolCallId: 'tooluse_a', toolName: 'get_weather', input: { city: 'Oslo' } },
    ]);
    expect(result.finishReason).toBe('tool-calls');
  });

  test.each([
    ['length', 'max_tokens', 'length'],
    ['content-filter', 'content_filtered', 'content-filter'],
  ] as const)('finish reason %s', async (scripted, raw, expected) => {
    const model = uniqueModel(`finish-${scripted}`);
    emulator.current.script(model, { reply: { text: 'cut', finishReason: scripted } });
    const result = await buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate(hello, callOptions());
    expect(result).toMatchObject({ finishReason: expected, rawFinishReason: raw });
  });
});
