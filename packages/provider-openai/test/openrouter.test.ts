import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { buildModel, callOptions, collect, failure, useEmulator, user } from '@reg/testkit/vitest';
import { openrouter } from '../src/index.js';
import { routeAllHostsTo } from './route-all-hosts.js';

const emulator = useEmulator();
const hello = user('Say hello');
const MODEL = 'openai/gpt-4o-mini';

describe('openrouter', () => {
  it('sends app_url and app_name as HTTP-Referer and X-Title, and the key from OPENROUTER_API_KEY', async () => {
    emulator.current.script(MODEL, { reply: { text: 'Routed.' } });
    const model = buildModel(openrouter, { model: MODEL, base_url: emulator.current.baseUrls.openrouter, app_url: 'https://reg.example', app_name: 'reg tests' }, { env: { OPENROUTER_API_KEY: TEST_CREDENTIALS.openrouter } });
    const result = await model.doGenerate({ ...hello, maxTokens: 10 }, callOptions());
    expect(result.content).toEqual([{ type: 'text', text: 'Routed.' }]);
    expect(result.requestId).toMatch(/^gen-/);
    const [request] = emulator.current.requests({ vendor: 'openrouter' });
    expect(request).toMatchObject({ path: '/api/v1/chat/completions', model: MODEL });
    expect(request?.headers).toMatchObject({ 'http-referer': 'https://reg.example', 'x-title': 'reg tests', authorization: `Bearer ${TEST_CREDENTIALS.openrouter}` });
    expect(request?.body).toMatchObject({ max_tokens: 10 });
  });

  it('streams with usage without asking for it, past its keep-alive comments', async () => {
    emulator.current.script(MODEL, { reply: { text: 'Streamed via router.', usage: { inputTokens: 7, outputTokens: 3 } }, chunkSize: 5 });
    const model = buildModel(openrouter, { model: MODEL, base_url: emulator.current.baseUrls.openrouter, api_key: TEST_CREDENTIALS.openrouter });
    const parts = await collect(model.doStream(hello, callOptions()));
    expect(parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join('')).toBe('Streamed via router.');
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: { inputTokens: 7, outputTokens: 3, totalTokens: 10 } });
    expect(emulator.current.requests({ vendor: 'openrouter' })[0]?.body).not.toHaveProperty('stream_options');
  });

  it("maps its usage accounting to reg's: cache writes and reasoning are parts of the totals, left out when it counts none", async () => {
    const usage = { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, cacheWriteInputTokens: 300, reasoningTokens: 50 };
    emulator.current.script(MODEL, { sequence: [{ text: 'Cached.', usage }, { text: 'Plain.', usage: { inputTokens: 12, outputTokens: 2 } }] });
    const model = buildModel(openrouter, { model: MODEL, base_url: emulator.current.baseUrls.openrouter, api_key: TEST_CREDENTIALS.openrouter });
    expect((await model.doGenerate(hello, callOptions())).usage).toEqual({ ...usage, totalTokens: 1580 });
    // OpenRouter sends cache_write_tokens: 0 and reasoning_tokens: 0 in every usage.
    const parts = await collect(model.doStream(hello, callOptions()));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: { inputTokens: 12, outputTokens: 2, totalTokens: 14, cachedInputTokens: 0 } });
    expect(parts.at(-1)).not.toHaveProperty('usage.cacheWriteInputTokens');
    expect(parts.at(-1)).not.toHaveProperty('usage.reasoningTokens');
  });

  it('maps its in-band error chunk and its numeric-code error bodies', async () => {
    emulator.current.script(MODEL, {
      sequence: [
        { kind: 'stream-error', afterParts: 0, type: 'rate_limit_exceeded', message: 'Provider rate limited' },
        { kind: 'status', status: 402, message: 'Insufficient credits' },
      ],
    });
    const model = buildModel(openrouter, { model: MODEL, base_url: emulator.current.baseUrls.openrouter, api_key: TEST_CREDENTIALS.openrouter });
    const inBand = await failure(collect(model.doStream(hello, callOptions())));
    expect(inBand).toMatchObject({ code: 'rate_limited', retryable: true });
    expect((inBand as Error).message).toMatch(/Provider rate limited/);
    const payment = await failure(model.doGenerate(hello, callOptions()));
    expect(payment).toMatchObject({ status: 402, retryable: false });
    expect((payment as Error).message).toMatch(/Insufficient credits/);
  });

  it('defaults to https://openrouter.ai/api/v1', async () => {
    const route = routeAllHostsTo(() => new URL(emulator.current.baseUrls.openrouter).origin);
    try {
      await buildModel(openrouter, { model: MODEL }, { env: { OPENROUTER_API_KEY: TEST_CREDENTIALS.openrouter } }).doGenerate(hello, callOptions());
    } finally {
      route.restore();
    }
    expect(route.origins).toEqual(['https://openrouter.ai']);
    expect(emulator.current.requests({ vendor: 'openrouter' })[0]?.path).toBe('/api/v1/chat/completions');
  });
});
