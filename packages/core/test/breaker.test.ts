import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AllClientsFailedError, ClientRegistry, ClientSkippedError, MemoryStateStore, RegError } from '@reg/core';
import { createScriptedProvider, noJitter, user } from './scripted-provider.js';

const server = { error: { code: 'server' as const, retryable: true, status: 500 } };

function setup(store = new MemoryStateStore()) {
  const scripted = createScriptedProvider();
  const registry = new ClientRegistry({ providers: [scripted.provider], random: noJitter, store });
  registry.addRetryPolicy('Many', { max_retries: 5, strategy: { type: 'constant_delay', delay_ms: 1 } });
  registry.addRetryPolicy('Once', { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 10 } });
  const changes: string[] = [];
  registry.on('breaker', (event) => changes.push(`${event.client}:${event.from}->${event.to}`));
  return { scripted, registry, store, changes };
}

async function failures(registry: ClientRegistry, client: string, count: number): Promise<RegError[]> {
  const errors: RegError[] = [];
  for (let index = 0; index < count; index++) {
    errors.push(await registry.generate(user('x'), { client }).then(() => expect.unreachable('answered'), (error: RegError) => error));
  }
  return errors;
}

describe('circuit breaker', () => {
  it('opens after failure_threshold consecutive failures; then calls are skipped without a request', async () => {
    const { scripted, registry, changes } = setup();
    scripted.script('a', [server]);
    registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 3, cooldown_ms: 60_000 } });
    const errors = await failures(registry, 'A', 5);
    expect(errors.map((error) => error.code)).toEqual(['server', 'server', 'server', 'circuit_open', 'circuit_open']);
    expect(scripted.callsOf('a')).toHaveLength(3);
    expect(changes).toEqual(['A:closed->open']);
    const skipped = errors[3]!;
    expect(ClientSkippedError.isInstance(skipped)).toBe(true);
    expect(skipped).toMatchObject({ client: 'A', provider: 'scripted', model: 'a', retryable: false });
    expect(skipped.retryAfterMs).toBeGreaterThan(55_000);
    expect(skipped.message).toMatch(/Client 'A' was skipped: its circuit breaker is open for \d+\.\d s more/);
  });

  it('a success resets the consecutive count', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [server, server, { text: 'ok' }, server, server, { text: 'ok' }]);
    registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 3, failure_rate: 0 } });
    const outcomes = [];
    for (let index = 0; index < 6; index++) outcomes.push(await registry.generate(user('x'), { client: 'A' }).then((result) => result.text, (error: RegError) => error.code));
    expect(outcomes).toEqual(['server', 'server', 'ok', 'server', 'server', 'ok']);
  });

  it('opens on a failure rate over the window once it holds minimum_calls', async () => {
    const { scripted, registry, changes } = setup();
    scripted.script('a', [server, { text: 'ok' }, server, { text: 'ok' }, { text: 'ok' }]);
    registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 0, failure_rate: 0.5, minimum_calls: 4 } });
    const outcomes = [];
    for (let index = 0; index < 5; index++) outcomes.push(await registry.generate(user('x'), { client: 'A' }).then((result) => result.text, (error: RegError) => error.code));
    expect(outcomes).toEqual(['server', 'ok', 'server', 'ok', 'circuit_open']);
    expect(changes).toEqual(['A:closed->open']);
  });

  it('stops retrying once its own failure opens the breaker (gaveUp circuit_open), and the fallback moves on', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [server]);
    registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 2 } }, 'Many');
    registry.addLlmClient('B', 'scripted', { model: 'b' });
    registry.addLlmClient('F', 'fallback', { strategy: ['A', 'B'] });
    const result = await registry.generate(user('x'), { client: 'F' });
    expect(result.client).toBe('B');
    expect(result.attempts.map((attempt) => `${attempt.client}:${attempt.status}:${attempt.gaveUp ?? ''}`)).toEqual(['A:failure:', 'A:failure:circuit_open', 'B:success:']);
    expect(scripted.callsOf('a')).toHaveLength(2);
  });

  it('fallback skips an open member without spending its retries, and says so in the attempts', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [server]);
    registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 1 } }, 'Many');
    registry.addLlmClient('B', 'scripted', { model: 'b' });
    registry.addLlmClient('F', 'fallback', { strategy: ['A', 'B'] });
    await registry.generate(user('x'), { client: 'F' });
    const before = scripted.callsOf('a').length;
    const startedAt = performance.now();
    const result = await registry.generate(user('x'), { client: 'F' });
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(scripted.callsOf('a')).toHaveLength(before);
    expect(result.attempts[0]!.durationMs).toBeLessThan(5);
    expect(result.attempts).toMatchObject([
      { client: 'A', status: 'skipped', code: 'circuit_open', durationMs: expect.any(Number) },
      { client: 'B', status: 'success' },
    ]);
  });

  it('a call with nowhere left to go fails with AllClientsFailedError listing the open breakers', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [server]);
    scripted.script('b', [server]);
    registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 1 } });
    registry.addLlmClient('B', 'scripted', { model: 'b', circuit_breaker: { failure_threshold: 1 } });
    registry.addLlmClient('F', 'fallback', { strategy: ['A', 'B'] });
    await failures(registry, 'F', 1);
    const [error] = await failures(registry, 'F', 1);
    expect(AllClientsFailedError.isInstance(error)).toBe(true);
    const all = error as AllClientsFailedError;
    expect(all.openCircuits).toEqual(['A', 'B']);
    expect(all.message).toMatch(/failed after 0 attempt\(s\); skipped \(breaker open or cooling down\): A, B/);
    expect(scripted.calls).toHaveLength(2);
  });

  it('after cooldown_ms lets one probe through at a time; a success closes it', async () => {
    const { scripted, registry, changes } = setup();
    scripted.script('a', [server, { text: 'recovered', delayMs: 150 }]);
    registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 1, cooldown_ms: 100 } });
    await failures(registry, 'A', 1);
    expect((await failures(registry, 'A', 1))[0]!.code).toBe('circuit_open');
    await delay(130);
    // The probe is in flight for 150 ms; a second call meanwhile is skipped.
    const probe = registry.generate(user('x'), { client: 'A' });
    await delay(20);
    expect((await failures(registry, 'A', 1))[0]!.code).toBe('circuit_open');
    expect((await probe).text).toBe('recovered');
    expect((await registry.generate(user('x'), { client: 'A' })).text).toBe('recovered');
    expect(changes).toEqual(['A:closed->open', 'A:half_open->closed']);
    expect(scripted.callsOf('a')).toHaveLength(3);
  });

  it('a failed probe opens it again for another cooldown', async () => {
    const { scripted, registry, changes } = setup();
    scripted.script('a', [server, server, { text: 'ok' }]);
    registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 1, cooldown_ms: 80 } });
    await failures(registry, 'A', 1);
    await delay(100);
    expect((await failures(registry, 'A', 2)).map((error) => error.code)).toEqual(['server', 'circuit_open']);
    await delay(100);
    expect((await registry.generate(user('x'), { client: 'A' })).text).toBe('ok');
    expect(changes).toEqual(['A:closed->open', 'A:half_open->open', 'A:half_open->closed']);
  });

  it('does not count failures of the request itself, nor the caller aborting', async () => {
    const { scripted, registry, changes } = setup();
    scripted.script('a', [
      { error: { code: 'invalid_request', status: 400 } },
      { error: { code: 'context_length', status: 400 } },
      { hang: true },
      { hang: true },
      server,
    ]);
    registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 2 } });
    await failures(registry, 'A', 2);
    for (let index = 0; index < 2; index++) {
      const controller = new AbortController();
      const call = registry.generate(user('x'), { client: 'A', signal: controller.signal });
      await delay(5);
      controller.abort();
      await expect(call).rejects.toMatchObject({ code: 'aborted' });
    }
    expect((await failures(registry, 'A', 1))[0]!.code).toBe('server');
    expect(changes).toEqual([]);
  });

  it('round-robin skips an open member for the next, and fails listing them when all are open', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [server]);
    for (const name of ['A', 'B', 'C']) registry.addLlmClient(name, 'scripted', { model: name.toLowerCase(), circuit_breaker: { failure_threshold: 1 } });
    registry.addLlmClient('RR', 'round-robin', { strategy: ['A', 'B', 'C'] });
    expect((await failures(registry, 'RR', 1))[0]!.client).toBe('A');
    const answered = [];
    for (let index = 0; index < 6; index++) answered.push((await registry.generate(user('x'), { client: 'RR' })).client);
    // The turns go B, C, A (skipped: B), B, C, A (skipped: B).
    expect(answered).toEqual(['B', 'C', 'B', 'B', 'C', 'B']);
    expect(scripted.callsOf('a')).toHaveLength(1);
    scripted.script('b', [server]);
    scripted.script('c', [server]);
    await failures(registry, 'RR', 2);
    const [error] = await failures(registry, 'RR', 1);
    expect(error).toMatchObject({ code: 'all_failed', openCircuits: ['A', 'B', 'C'] });
  });

  it('counts stream failures, and a consumer that stops early frees its probe slot', async () => {
    const { scripted, registry, changes } = setup();
    scripted.script('a', [server, { text: 'abcdef', parts: 3, partDelayMs: 5 }]);
    registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 1, cooldown_ms: 50 } });
    await expect(async () => {
      for await (const part of registry.stream(user('x'), { client: 'A' })) void part;
    }).rejects.toMatchObject({ code: 'server' });
    expect(changes).toEqual(['A:closed->open']);
    await delay(70);
    for await (const part of registry.stream(user('x'), { client: 'A' })) if (part.type === 'text-delta') break;
    // The probe ended without a verdict: the slot is free for the next probe, which closes it.
    let text = '';
    for await (const part of registry.stream(user('x'), { client: 'A' })) if (part.type === 'text-delta') text += part.text;
    expect(text).toBe('abcdef');
    expect(changes).toEqual(['A:closed->open', 'A:half_open->closed']);
  });

  it('is shared through the store by client name, across registries', async () => {
    const store = new MemoryStateStore();
    const first = setup(store);
    first.scripted.script('a', [server]);
    first.registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 1 } });
    await failures(first.registry, 'A', 1);
    const second = setup(store);
    second.registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: { failure_threshold: 1 } });
    expect((await failures(second.registry, 'A', 1))[0]!.code).toBe('circuit_open');
    expect(second.scripted.calls).toHaveLength(0);
  });

  it('circuit_breaker: false never opens', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [server]);
    registry.addLlmClient('A', 'scripted', { model: 'a', circuit_breaker: false });
    const errors = await failures(registry, 'A', 8);
    expect(new Set(errors.map((error) => error.code))).toEqual(new Set(['server']));
    expect(scripted.callsOf('a')).toHaveLength(8);
  });
});

describe('cooldown after a 429', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const limited = (retryAfterMs?: number) => ({ error: { code: 'rate_limited' as const, retryable: true, status: 429, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) } });

  it('a Retry-After cools the client for that long: later calls skip it, then it takes calls again', async () => {
    const { scripted, registry, changes } = setup();
    scripted.script('a', [limited(250), { text: 'a again' }]);
    registry.addLlmClient('A', 'scripted', { model: 'a' });
    registry.addLlmClient('B', 'scripted', { model: 'b' });
    registry.addLlmClient('F', 'fallback', { strategy: ['A', 'B'] });
    expect((await registry.generate(user('x'), { client: 'F' })).client).toBe('B');
    const cooled = await registry.generate(user('x'), { client: 'F' });
    expect(cooled.attempts).toMatchObject([{ client: 'A', status: 'skipped', code: 'rate_limited' }, { client: 'B', status: 'success' }]);
    expect(cooled.attempts[0]!.message).toMatch(/Client 'A' was skipped: it cools down for \d\.\d s more after a 429/);
    expect(scripted.callsOf('a')).toHaveLength(1);
    await delay(280);
    expect((await registry.generate(user('x'), { client: 'F' })).client).toBe('A');
    // A 429 that a cooldown handles does not count against the breaker.
    expect(changes).toEqual([]);
  });

  it('the client\'s own retry waits out the Retry-After and is admitted', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [limited(120), { text: 'ok' }]);
    registry.addLlmClient('A', 'scripted', { model: 'a' }, 'Once');
    const result = await registry.generate(user('x'), { client: 'A' });
    expect(result.text).toBe('ok');
    const [first, second] = scripted.callsOf('a');
    expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(115);
  });

  it("the client's own retry is admitted when the wall clock runs behind the timers", async () => {
    // Timers and Date.now() each round to the millisecond and the wall clock may be slewed, so a
    // backoff timer can end a moment before the cooldown (kept in wall time) does. Here the wall
    // clock falls 20 ms behind right after the cooldown is set.
    class LaggingStore extends MemoryStateStore {
      override coolDown(key: string, untilMs: number): void {
        super.coolDown(key, untilMs);
        const realNow = Date.now.bind(Date);
        vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 20);
      }
    }
    const { scripted, registry } = setup(new LaggingStore());
    scripted.script('a', [limited(100), { text: 'ok' }]);
    registry.addLlmClient('A', 'scripted', { model: 'a' }, 'Once');
    registry.addLlmClient('B', 'scripted', { model: 'b' });
    registry.addLlmClient('F', 'fallback', { strategy: ['A', 'B'] });
    const result = await registry.generate(user('x'), { client: 'F' });
    expect(result.attempts.map((attempt) => `${attempt.client}:${attempt.status}`)).toEqual(['A:failure', 'A:success']);
    expect(result.client).toBe('A');
  });

  it('rate_limit_group: a 429 on one key cools the group, so a round-robin over its keys fails over without burning the others', async () => {
    const { scripted, registry } = setup();
    scripted.script('k1', [limited(), { text: 'k1' }]);
    for (const name of ['K1', 'K2', 'K3']) {
      registry.addLlmClient(name, 'scripted', { model: name.toLowerCase(), rate_limit_group: 'org', circuit_breaker: { rate_limit_cooldown_ms: 300 } });
    }
    registry.addLlmClient('C', 'scripted', { model: 'c' });
    registry.addLlmClient('Keys', 'round-robin', { strategy: ['K1', 'K2', 'K3'] });
    registry.addLlmClient('F', 'fallback', { strategy: ['Keys', 'C'] });
    const answered = [];
    for (let index = 0; index < 3; index++) answered.push(await registry.generate(user('x'), { client: 'F' }));
    expect(answered.map((result) => result.client)).toEqual(['C', 'C', 'C']);
    expect(scripted.callsOf('k1')).toHaveLength(1);
    expect(scripted.callsOf('k2')).toHaveLength(0);
    expect(scripted.callsOf('k3')).toHaveLength(0);
    expect(answered[1]!.attempts).toMatchObject([
      { client: 'K2', status: 'skipped', code: 'rate_limited' },
      { client: 'K3', status: 'skipped' },
      { client: 'K1', status: 'skipped' },
      { client: 'C', status: 'success' },
    ]);
    expect(answered[1]!.attempts[0]!.message).toMatch(/rate_limit_group 'org' cools down/);
    await delay(330);
    expect((await registry.generate(user('x'), { client: 'F' })).client).toBe('K1');
  });

  it('in a group, a 429 without Retry-After makes the client\'s own retry wait out the group cooldown', async () => {
    const { scripted, registry } = setup();
    scripted.script('k1', [limited(), { text: 'ok' }]);
    registry.addLlmClient('K1', 'scripted', { model: 'k1', rate_limit_group: 'org', circuit_breaker: { rate_limit_cooldown_ms: 150 } }, 'Once');
    expect((await registry.generate(user('x'), { client: 'K1' })).text).toBe('ok');
    const [first, second] = scripted.callsOf('k1');
    expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(145);
  });
});
