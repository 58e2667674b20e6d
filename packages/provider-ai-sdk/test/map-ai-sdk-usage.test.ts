import type { ModelResult, ModelStreamPart, Usage } from '@reg/core';
import { buildModel, callOptions, collect, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { aiSdk } from '../src/index.js';
import { clientOptions } from './emulated-client.js';
import { modelReporting } from './usage-model.js';

const emulator = useEmulator();
const hello = user('Hello');

/** The usage one generate and one stream of `model` give. */
async function usageOf(raw: Record<string, unknown>): Promise<{ generate: Usage; stream: Usage }> {
  const model = buildModel(aiSdk, raw);
  const result: ModelResult = await model.doGenerate(hello, callOptions());
  const finish = (await collect(model.doStream(hello, callOptions()))).at(-1) as Extract<ModelStreamPart, { type: 'finish' }>;
  return { generate: result.usage, stream: finish.usage };
}

describe("usage in reg's meaning (input with cache reads and writes, output with reasoning), in generate and in stream", () => {
  it('reads cached and reasoning tokens as @ai-sdk/openai-compatible reports OpenAI usage (cache writes, which it does not read, stay inside inputTokens)', async () => {
    emulator.current.script('usage', { reply: { text: 'Done.', usage: { inputTokens: 50, outputTokens: 30, cachedInputTokens: 20, cacheWriteInputTokens: 5, reasoningTokens: 12 } } });
    const expected = { inputTokens: 50, outputTokens: 30, totalTokens: 80, cachedInputTokens: 20, reasoningTokens: 12 };
    expect(await usageOf(clientOptions(emulator.current, 'usage'))).toEqual({ generate: expected, stream: expected });
  });

  it.each([
    ['v4', 'v4'],
    ['v3', 'v3'],
  ] as const)('maps %s cache reads, cache writes and reasoning to their fields', async (_name, version) => {
    const model = modelReporting(version, {
      inputTokens: { total: 1200, noCache: 200, cacheRead: 800, cacheWrite: 200 },
      outputTokens: { total: 300, text: 100, reasoning: 200 },
    });
    const expected = { inputTokens: 1200, outputTokens: 300, totalTokens: 1500, cachedInputTokens: 800, cacheWriteInputTokens: 200, reasoningTokens: 200 };
    expect(await usageOf({ model })).toEqual({ generate: expected, stream: expected });
  });

  it('adds up the parts of a v4 total the package left out', async () => {
    const model = modelReporting('v4', {
      inputTokens: { total: undefined, noCache: 100, cacheRead: 50, cacheWrite: 25 },
      outputTokens: { total: undefined, text: 40, reasoning: 10 },
    });
    const expected = { inputTokens: 175, outputTokens: 50, totalTokens: 225, cachedInputTokens: 50, cacheWriteInputTokens: 25, reasoningTokens: 10 };
    expect(await usageOf({ model })).toEqual({ generate: expected, stream: expected });
  });

  it('sets no optional field the package did not report', async () => {
    const model = modelReporting('v4', {
      inputTokens: { total: 10, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 5, text: undefined, reasoning: undefined },
    });
    const expected = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };
    expect(await usageOf({ model })).toEqual({ generate: expected, stream: expected });
  });

  it('reads v2 flat usage whose output counts reasoning (OpenAI-style) as it is', async () => {
    const model = modelReporting('v2', { inputTokens: 100, outputTokens: 60, totalTokens: 160, reasoningTokens: 40, cachedInputTokens: 30 });
    const expected = { inputTokens: 100, outputTokens: 60, totalTokens: 160, cachedInputTokens: 30, reasoningTokens: 40 };
    expect(await usageOf({ model })).toEqual({ generate: expected, stream: expected });
  });

  it('adds reasoning back to v2 output that leaves it out while the total counts it (Google-style)', async () => {
    const model = modelReporting('v2', { inputTokens: 100, outputTokens: 20, totalTokens: 160, reasoningTokens: 40, cachedInputTokens: 30 });
    const expected = { inputTokens: 100, outputTokens: 60, totalTokens: 160, cachedInputTokens: 30, reasoningTokens: 40 };
    expect(await usageOf({ model })).toEqual({ generate: expected, stream: expected });
  });
});
