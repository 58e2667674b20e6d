import { ConfigError, type BreakerSettings } from '@reg/core';
import { closedBreaker, recordOutcome } from '@reg/core/state';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStateStore } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing/redis-server.js';

const HOUR = 60 * 60 * 1000;
const settings: BreakerSettings = { failureThreshold: 3, failureRate: 0, minimumCalls: 1, windowMs: 60_000, cooldownMs: 30_000, halfOpenProbes: 1 };

let server: RedisServer;
let redis: Redis;
const stores: RedisStateStore[] = [];

function storeWith(options: ConstructorParameters<typeof RedisStateStore>[0]) {
  const store = new RedisStateStore({ url: server.url, commandTimeoutMs: 10_000, ...options });
  stores.push(store);
  return store;
}

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
}, 200_000);

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  redis?.disconnect();
  await server?.dispose();
});

describe('key layout', () => {
  it('puts each kind of state under prefix + kind, and a breaker as a hash of its BreakerRecord', async () => {
    const store = storeWith({ prefix: 'app1:' });
    const now = Date.now();
    await store.increment('round-robin:RR');
    await store.take('retry-budget:A', 5, 500);
    await store.record('breaker:A', 'failure', false, now, settings);
    await store.record('breaker:A', 'success', false, now + 1, settings);
    await store.record('breaker:A', 'failure', false, now + 2, settings);
    await store.coolDown('cooldown-group:G', now + 5_000);

    expect((await redis.keys('app1:*')).sort()).toEqual([
      'app1:breaker:breaker:A',
      'app1:bucket:retry-budget:A',
      'app1:cooldown:cooldown-group:G',
      'app1:counter:round-robin:RR',
    ]);
    expect(await redis.get('app1:counter:round-robin:RR')).toBe('1');
    expect(await redis.get('app1:bucket:retry-budget:A')).toBe('495');
    expect(await redis.get('app1:cooldown:cooldown-group:G')).toBe(String(now + 5_000));

    const expected = closedBreaker(now);
    recordOutcome(expected, 'failure', false, now, settings);
    recordOutcome(expected, 'success', false, now + 1, settings);
    recordOutcome(expected, 'failure', false, now + 2, settings);
    const stored = await redis.hgetall('app1:breaker:breaker:A');
    expect(stored).toEqual(Object.fromEntries(Object.entries(expected).map(([field, value]) => [field, String(value)])));
    expect(stored).toMatchObject({ state: 'closed', consecutive: '1', calls: '3', failures: '2' });
  });

  it('keeps apps with different prefixes apart on one Redis', async () => {
    const first = storeWith({ prefix: 'shop:' });
    const second = storeWith({ prefix: 'blog:' });
    expect([await first.increment('round-robin:RR'), await first.increment('round-robin:RR')]).toEqual([0, 1]);
    expect(await second.increment('round-robin:RR')).toBe(0);
    await first.coolDown('cooldown:A', Date.now() + 60_000);
    expect(await second.admit('breaker:A', ['cooldown:A'], Date.now(), settings)).toEqual({ admitted: true, probe: false });
    expect(await first.admit('breaker:A', ['cooldown:A'], Date.now(), settings)).toMatchObject({ admitted: false, reason: 'cooldown' });
  });
});

describe('TTLs', () => {
  it('expire idle counters, buckets and breakers after idleTtlMs, breakers never before ten of their periods', async () => {
    const store = storeWith({ prefix: 'ttl:', idleTtlMs: 2 * HOUR });
    await store.increment('round-robin:RR');
    await store.take('retry-budget:A', 1, 10);
    await store.record('breaker:A', 'failure', false, Date.now(), settings);
    const longBreaker = { ...settings, cooldownMs: HOUR };
    await store.record('breaker:B', 'failure', false, Date.now(), longBreaker);

    for (const key of ['ttl:counter:round-robin:RR', 'ttl:bucket:retry-budget:A', 'ttl:breaker:breaker:A']) {
      const ttl = await redis.pttl(key);
      expect(ttl, key).toBeGreaterThan(2 * HOUR - 60_000);
      expect(ttl, key).toBeLessThanOrEqual(2 * HOUR);
    }
    // An hour's cooldown: the hash lives ten hours, so expiry never closes a breaker still open.
    expect(await redis.pttl('ttl:breaker:breaker:B')).toBeGreaterThan(10 * HOUR - 60_000);
  });

  it('expire a cooldown key only after its deadline, plus the slack for other hosts\' clocks', async () => {
    const store = storeWith({ prefix: 'ttl-cool:', expirySlackMs: 30_000 });
    const until = Date.now() + 10_000;
    await store.coolDown('cooldown:A', until);
    const ttl = await redis.pttl('ttl-cool:cooldown:cooldown:A');
    expect(ttl).toBeGreaterThan(until - Date.now() + 30_000 - 5_000);
    expect(ttl).toBeLessThanOrEqual(10_000 + 30_000);

    // A later deadline extends the key; an earlier one changes nothing.
    await store.coolDown('cooldown:A', until + 20_000);
    expect(await redis.pttl('ttl-cool:cooldown:cooldown:A')).toBeGreaterThan(ttl + 15_000);
    await store.coolDown('cooldown:A', until);
    expect(await redis.get('ttl-cool:cooldown:cooldown:A')).toBe(String(until + 20_000));
  });

  it('keep counters, buckets and breakers with idleTtlMs: 0', async () => {
    const store = storeWith({ prefix: 'ttl-off:', idleTtlMs: 0 });
    await store.increment('round-robin:RR');
    await store.take('retry-budget:A', 1, 10);
    await store.record('breaker:A', 'failure', false, Date.now(), settings);
    for (const key of ['ttl-off:counter:round-robin:RR', 'ttl-off:bucket:retry-budget:A', 'ttl-off:breaker:breaker:A']) {
      expect(await redis.pttl(key), key).toBe(-1);
    }
  });

  it('let an idle key go, after which the store answers as for a key never seen', async () => {
    const store = storeWith({ prefix: 'ttl-idle:', idleTtlMs: 150 });
    const quick = { ...settings, windowMs: 5, cooldownMs: 5 };
    expect(await store.increment('round-robin:RR')).toBe(0);
    expect(await store.take('retry-budget:A', 10, 10)).toBe(true);
    expect(await store.record('breaker:A', 'failure', false, Date.now(), { ...quick, failureThreshold: 1 })).toEqual({ from: 'closed', to: 'open' });
    await waitUntil(async () => (await redis.exists('ttl-idle:counter:round-robin:RR', 'ttl-idle:bucket:retry-budget:A', 'ttl-idle:breaker:breaker:A')) === 0);
    expect(await store.increment('round-robin:RR')).toBe(0);
    expect(await store.take('retry-budget:A', 10, 10)).toBe(true);
    expect(await store.admit('breaker:A', [], Date.now(), quick)).toEqual({ admitted: true, probe: false });
  });
});

describe('options', () => {
  it('reject bad values with the option path, never repeating a URL password', () => {
    const attempt = (options: ConstructorParameters<typeof RedisStateStore>[0]) => {
      try {
        new RedisStateStore(options);
      } catch (error) {
        return error as ConfigError;
      }
      throw new Error('expected a ConfigError');
    };
    const wrongProtocol = attempt({ url: 'http://user:hunter2-secret@127.0.0.1:6379' });
    expect(ConfigError.isInstance(wrongProtocol)).toBe(true);
    expect(wrongProtocol.issues).toEqual([{ path: 'RedisStateStore options.url', message: 'must use redis:// or rediss:// (got http://)' }]);
    expect(wrongProtocol.message).not.toContain('hunter2-secret');

    const unparsable = attempt({ url: 'redis://:hunter2-secret@[not-a-host' });
    expect(unparsable.issues[0]?.path).toBe('RedisStateStore options.url');
    expect(unparsable.message).not.toContain('hunter2-secret');

    expect(attempt({ commandTimeoutMs: 0, recoverAfterMs: Number.NaN, idleTtlMs: -1, prefix: 5 as unknown as string }).issues.map((issue) => issue.path)).toEqual([
      'RedisStateStore options.prefix',
      'RedisStateStore options.commandTimeoutMs',
      'RedisStateStore options.recoverAfterMs',
      'RedisStateStore options.idleTtlMs',
    ]);
    expect(attempt({ url: server.url, client: redis }).issues).toEqual([{ path: 'RedisStateStore options.url', message: 'give either url or client, not both' }]);
  });

  it('use a client the caller owns, and leave it open on close', async () => {
    const own = new Redis(server.url);
    const store = new RedisStateStore({ client: own, prefix: 'owned:', commandTimeoutMs: 10_000 });
    expect(store.server).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await store.increment('round-robin:RR')).toBe(0);
    await store.close();
    expect(await own.get('owned:counter:round-robin:RR')).toBe('1');
    own.disconnect();
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
