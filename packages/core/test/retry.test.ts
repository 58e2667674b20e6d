import { describe, expect, it } from 'vitest';
import { ClientRegistry, MemoryStateStore, retryDelayMs, DEFAULT_RETRY, type ErrorCode } from '@reg/core';
import { createScriptedProvider, noJitter, user } from './scripted-provider.js';

function setup(policy?: Parameters<ClientRegistry['addRetryPolicy']>[1], options: Record<string, unknown> = {}) {
  const scripted = createScriptedProvider();
  const registry = new ClientRegistry({ providers: [scripted.provider], random: noJitter, store: new MemoryStateStore() });
  if (policy) registry.addRetryPolicy('Fast', policy);
  registry.addLlmClient('A', 'scripted', { model: 'a', ...options }, policy ? 'Fast' : undefined);
  const delays: number[] = [];
  registry.on('retry', (event) => delays.push(event.delayMs));
  return { scripted, registry, delays };
}

describe('retry policies', () => {
  it('computes exponential delays min(max, delay * multiplier^n), jittered down by at most jitter', () => {
    const policy = { ...DEFAULT_RETRY };
    expect([0, 1, 2, 3].map((n) => retryDelayMs(policy, n, () => 0))).toEqual([200, 300, 450, 675]);
    expect(retryDelayMs(policy, 20, () => 0)).toBe(10_000);
    // Full jitter draw lowers by 20%, never to zero.
    expect(retryDelayMs(policy, 0, () => 1)).toBeCloseTo(160);
    for (let draw = 0; draw <= 1; draw += 0.1) expect(retryDelayMs(policy, 1, () => draw)).toBeGreaterThan(0);
  });

  it('DefaultRetry is 3 retries, exponential from 200 ms, x1.5, at most 10 s', () => {
    expect(DEFAULT_RETRY).toMatchObject({ maxRetries: 3, strategy: { type: 'exponential_backoff', delayMs: 200, multiplier: 1.5, maxDelayMs: 10_000 } });
  });

  it('retries retryable failures with the policy schedule, then succeeds', async () => {
    const { scripted, registry, delays } = setup({ max_retries: 3, strategy: { type: 'exponential_backoff', delay_ms: 4, multiplier: 2, max_delay_ms: 10 } });
    scripted.script('a', [
      { error: { code: 'rate_limited', retryable: true, status: 429 } },
      { error: { code: 'server', retryable: true, status: 500 } },
      { error: { code: 'overloaded', retryable: true, status: 529 } },
      { text: 'finally' },
    ]);
    const result = await registry.generate(user('x'), { client: 'A' });
    expect(result.text).toBe('finally');
    expect(delays).toEqual([4, 8, 10]);
    expect(result.attempts.map((attempt) => [attempt.status, attempt.httpStatus])).toEqual([
      ['failure', 429], ['failure', 500], ['failure', 529], ['success', undefined],
    ]);
    expect(scripted.callsOf('a')).toHaveLength(4);
  });

  it('uses constant delays', async () => {
    const { scripted, registry, delays } = setup({ max_retries: 2, strategy: { type: 'constant_delay', delay_ms: 3 } });
    scripted.script('a', [{ error: { code: 'server', retryable: true } }]);
    await expect(registry.generate(user('x'), { client: 'A' })).rejects.toMatchObject({ code: 'server' });
    expect(delays).toEqual([3, 3]);
    expect(scripted.callsOf('a')).toHaveLength(3);
  });

  it('makes one attempt when the client has no retry policy', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ error: { code: 'server', retryable: true } }]);
    const error = await registry.generate(user('x'), { client: 'A' }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'server', client: 'A' });
    expect(scripted.callsOf('a')).toHaveLength(1);
  });

  const neverRetried: ErrorCode[] = ['invalid_request', 'auth', 'not_found', 'context_length', 'content_filter', 'quota'];
  it.each(neverRetried)('never retries %s on the same client', async (code) => {
    const { scripted, registry } = setup({ max_retries: 3, strategy: { type: 'constant_delay', delay_ms: 1 } });
    scripted.script('a', [{ error: { code, retryable: false, status: 400 } }]);
    const error = await registry.generate(user('x'), { client: 'A' }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code });
    expect(scripted.callsOf('a')).toHaveLength(1);
  });

  it('waits at least what Retry-After asks', async () => {
    const { scripted, registry, delays } = setup({ max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 1 } });
    scripted.script('a', [{ error: { code: 'rate_limited', retryable: true, retryAfterMs: 40, status: 429 } }, { text: 'ok' }]);
    const startedAt = performance.now();
    await registry.generate(user('x'), { client: 'A' });
    expect(delays).toEqual([40]);
    const calls = scripted.callsOf('a');
    expect(calls[1]!.startedAt - calls[0]!.startedAt).toBeGreaterThanOrEqual(39);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(39);
  });

  it('gives up at once when Retry-After is past max_retry_after_ms, so a fallback can take over', async () => {
    const { scripted, registry, delays } = setup({ max_retries: 3, max_retry_after_ms: 1000, strategy: { type: 'constant_delay', delay_ms: 1 } });
    scripted.script('a', [{ error: { code: 'rate_limited', retryable: true, retryAfterMs: 30_000, status: 429 } }]);
    scripted.script('b', [{ text: 'from b' }]);
    registry.addLlmClient('B', 'scripted', { model: 'b' });
    registry.addLlmClient('F', 'fallback', { strategy: ['A', 'B'] });
    const startedAt = performance.now();
    const result = await registry.generate(user('x'), { client: 'F' });
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(result.text).toBe('from b');
    expect(delays).toEqual([]);
    expect(result.attempts[0]).toMatchObject({ client: 'A', gaveUp: 'retry_after_too_long', retryAfterMs: 30_000 });
  });

  it('stops retrying when the retry budget is spent, and refunds on success', async () => {
    const store = new MemoryStateStore();
    const scripted = createScriptedProvider();
    const registry = new ClientRegistry({ providers: [scripted.provider], random: noJitter, store });
    registry.addRetryPolicy('Many', { max_retries: 10, strategy: { type: 'constant_delay', delay_ms: 1 } });
    registry.addLlmClient('A', 'scripted', { model: 'a', retry_budget: { capacity: 10, retry_cost: 5, success_refund: 1 } }, 'Many');
    scripted.script('a', [{ error: { code: 'overloaded', retryable: true, status: 503 } }]);
    const error = await registry.generate(user('x'), { client: 'A' }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'overloaded' });
    // 10 tokens pay for two retries: three attempts, then the budget stops the storm.
    expect(scripted.callsOf('a')).toHaveLength(3);
    await registry.generate(user('x'), { client: 'A' }).catch(() => undefined);
    expect(scripted.callsOf('a')).toHaveLength(4);
    expect(store.take('retry-budget:A', 1, 10)).toBe(false);
  });

  it('a retry budget of false turns the budget off', async () => {
    const { scripted, registry } = setup({ max_retries: 4, strategy: { type: 'constant_delay', delay_ms: 1 } }, { retry_budget: false });
    scripted.script('a', [{ error: { code: 'overloaded', retryable: true } }]);
    await registry.generate(user('x'), { client: 'A' }).catch(() => undefined);
    expect(scripted.callsOf('a')).toHaveLength(5);
  });
});
