import { generateText, streamText, type LanguageModelUsage } from 'ai';
import { useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { createReg } from '../src/index.js';
import { ANTHROPIC_MODEL, createRegistry, OPENAI_MODEL } from './helpers.js';

const emulator = useEmulator();

async function usageOf(client: string, mode: 'generateText' | 'streamText'): Promise<LanguageModelUsage> {
  const model = createReg({ registry: createRegistry(emulator.current) })(client);
  if (mode === 'generateText') return (await generateText({ model, prompt: 'Think, using the cache.', maxRetries: 0 })).usage;
  const result = streamText({ model, prompt: 'Think, using the cache.', maxRetries: 0 });
  await result.consumeStream();
  return result.usage;
}

describe("usage details in the AI SDK's fields, scripted on the emulator", () => {
  it.each(['generateText', 'streamText'] as const)('%s: cache reads and reasoning tokens from OpenAI; no cache writes, so none reported', async (mode) => {
    emulator.current.script(OPENAI_MODEL, { reply: { text: 'Thought it through.', usage: { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, reasoningTokens: 50 } } });

    expect(await usageOf('Mini', mode)).toEqual({
      inputTokens: 1500,
      inputTokenDetails: { noCacheTokens: 500, cacheReadTokens: 1000, cacheWriteTokens: undefined },
      outputTokens: 80,
      outputTokenDetails: { textTokens: 30, reasoningTokens: 50 },
      totalTokens: 1580,
      raw: { inputTokens: 1500, outputTokens: 80, totalTokens: 1580, cachedInputTokens: 1000, reasoningTokens: 50 },
    });
  });

  it.each(['generateText', 'streamText'] as const)('%s: cache reads and writes from Anthropic; a model that reports no thinking tokens leaves the output unsplit', async (mode) => {
    emulator.current.script(ANTHROPIC_MODEL, { reply: { text: 'Cached.', usage: { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, cacheWriteInputTokens: 300 } } });

    expect(await usageOf('Claude', mode)).toEqual({
      inputTokens: 1500,
      inputTokenDetails: { noCacheTokens: 200, cacheReadTokens: 1000, cacheWriteTokens: 300 },
      outputTokens: 80,
      outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
      totalTokens: 1580,
      raw: { inputTokens: 1500, outputTokens: 80, totalTokens: 1580, cachedInputTokens: 1000, cacheWriteInputTokens: 300 },
    });
  });

  it('streamText: all three details at once (Anthropic reports thinking tokens on newer models)', async () => {
    emulator.current.script(ANTHROPIC_MODEL, { reply: { text: 'Thought it through.', usage: { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, cacheWriteInputTokens: 300, reasoningTokens: 50 } } });

    expect(await usageOf('Claude', 'streamText')).toMatchObject({
      inputTokenDetails: { noCacheTokens: 200, cacheReadTokens: 1000, cacheWriteTokens: 300 },
      outputTokenDetails: { textTokens: 30, reasoningTokens: 50 },
    });
  });
});
