import { ClientRegistry, DEFAULT_BREAKER_SETTINGS } from '@reg/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStateStore, type RedisStateStoreEvents } from '../src/index.js';
import { instant, user } from './instant-provider.js';
import { startRedisServer, type RedisServer } from '../src/testing/redis-server.js';

const PASSWORD = 'outage-test-password-7f3a';
// Room for a loaded machine: a call answers within commandTimeoutMs plus at most this.
const MARGIN_MS = 1_500;

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer({ password: PASSWORD });
}, 200_000);

afterAll(async () => {
  await server?.dispose();
});

type Event = { [Name in keyof RedisStateStoreEvents]: { name: Name } & RedisStateStoreEvents[Name] }[keyof RedisStateStoreEvents];

function watch(store: RedisStateStore): Event[] {
  const events: Event[] = [];
  store.on('unavailable', (event) => events.push({ name: 'unavailable', ...event }));
  store.on('recovered', (event) => events.push({ name: 'recovered', ...event }));
  return events;
}

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedAt = performance.now();
  const value = await call();
  return { value, ms: performance.now() - startedAt };
}

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Calls the registry's round-robin client over and over until stopped; keeps who answered and what failed. */
function keepCalling(registry: ClientRegistry) {
  const answered: string[] = [];
  const failures: unknown[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        answered.push((await registry.generate(user('hi'), { client: 'RR' })).client);
      } catch (error) {
        failures.push(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  return {
    answered,
    failures,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

describe('RedisStateStore when Redis fails', () => {
  it('answers from local state within commandTimeoutMs when Redis dies, says so once, and returns to Redis when it is back', async () => {
    const commandTimeoutMs = 300;
    const store = new RedisStateStore({ url: server.url, prefix: 'outage:', commandTimeoutMs, recoverAfterMs: 100 });
    const events = watch(store);
    const registry = new ClientRegistry({ providers: [instant], store });
    for (const name of ['A', 'B', 'C']) registry.addLlmClient(name, 'instant', { model: name.toLowerCase() });
    registry.addLlmClient('RR', 'round-robin', { strategy: ['A', 'B', 'C'] });
    const raw = new Redis(server.url, { retryStrategy: () => 50 });
    raw.on('error', () => undefined);
    const traffic = keepCalling(registry);
    try {
      expect(await store.increment('n')).toBe(0);
      expect(await store.increment('n')).toBe(1);
      expect(await raw.get('outage:counter:n')).toBe('2');
      await waitUntil(() => traffic.answered.length >= 5, 'calls through the registry before the outage');

      await server.stop({ abrupt: true });
      const settings = DEFAULT_BREAKER_SETTINGS;
      const now = Date.now();
      const answers = [
        await timed(() => store.increment('n')),
        await timed(() => store.take('budget', 5, 10)),
        await timed(() => store.give('budget', 1, 10)),
        await timed(() => store.admit('breaker', ['cooldown'], now, settings)),
        await timed(() => store.record('breaker', 'failure', false, now, settings)),
        await timed(() => store.coolDown('cooldown', now + 60_000)),
        await timed(() => store.admit('breaker', ['cooldown'], now + 1, settings)),
        await timed(() => store.increment('n')),
      ];
      for (const answer of answers) expect(answer.ms).toBeLessThan(commandTimeoutMs + MARGIN_MS);
      // Local state starts empty: the counter Redis had at 2 starts over at 0 here.
      expect(answers.map((answer) => answer.value)).toEqual([
        0,
        true,
        undefined,
        { admitted: true, probe: false },
        undefined,
        undefined,
        { admitted: false, reason: 'cooldown', key: 'cooldown', untilMs: now + 60_000 },
        1,
      ]);
      expect(store.available).toBe(false);
      const countAtOutage = traffic.answered.length;
      await waitUntil(() => traffic.answered.length >= countAtOutage + 20, 'calls through the registry during the outage');

      await server.restart();
      await waitUntil(() => events.some((event) => event.name === 'recovered'), 'the recovered event');
      expect(store.available).toBe(true);
      // The restarted Redis is empty; a value only Redis holds proves where the answer came from.
      await raw.set('outage:counter:n', '41');
      expect(await store.increment('n')).toBe(41);
      expect(await raw.get('outage:counter:n')).toBe('42');
      const countAtRecovery = traffic.answered.length;
      await waitUntil(() => traffic.answered.length >= countAtRecovery + 5, 'calls through the registry after recovery');
      // The registry's round-robin cursor lives in the restarted Redis again.
      expect(Number(await raw.get('outage:counter:round-robin:RR'))).toBeGreaterThanOrEqual(5);
    } finally {
      await traffic.stop();
      await store.close();
      raw.disconnect();
    }
    expect(traffic.failures).toEqual([]);
    expect(new Set(traffic.answered)).toEqual(new Set(['A', 'B', 'C']));
    expect(events.map((event) => event.name)).toEqual(['unavailable', 'recovered']);
    const [unavailable, recovered] = events as [Extract<Event, { name: 'unavailable' }>, Extract<Event, { name: 'recovered' }>];
    expect(unavailable.server).toBe(`redis://127.0.0.1:${server.port}`);
    // The reason is whatever the lost connection said first (ECONNRESET, EPIPE, closed, ...), in plain words.
    expect(unavailable.reason).toMatch(/\S/);
    expect(unavailable.reason).not.toContain('enableOfflineQueue');
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
    expect(recovered).toMatchObject({ unavailableMs: expect.any(Number) });
  }, 40_000);

  it('answers locally after commandTimeoutMs when Redis hangs, and returns when it answers again', async () => {
    const commandTimeoutMs = 250;
    const store = new RedisStateStore({ url: server.url, prefix: 'hang:', commandTimeoutMs, recoverAfterMs: 100 });
    const events = watch(store);
    const raw = new Redis(server.url);
    try {
      expect(await store.increment('n')).toBe(0);
      server.pause();
      const first = await timed(() => store.increment('n'));
      server.resume();
      // It waited for Redis (timers never fire early), then no longer than the deadline allows.
      expect(first.ms).toBeGreaterThanOrEqual(commandTimeoutMs - 5);
      expect(first.ms).toBeLessThan(commandTimeoutMs + MARGIN_MS);
      expect(first.value).toBe(0);
      expect(events).toEqual([
        {
          name: 'unavailable',
          server: `redis://127.0.0.1:${server.port}`,
          reason: `Redis script increment got no answer within ${commandTimeoutMs} ms`,
          message: `Redis at redis://127.0.0.1:${server.port} is unavailable (Redis script increment got no answer within ${commandTimeoutMs} ms); reg answers from local state until it responds again.`,
        },
      ]);

      await waitUntil(() => store.available, 'recovery after the server resumed');
      await raw.set('hang:counter:n', '7');
      expect(await store.increment('n')).toBe(7);
      expect(events.map((event) => event.name)).toEqual(['unavailable', 'recovered']);
    } finally {
      server.resume();
      await store.close();
      raw.disconnect();
    }
  }, 30_000);

  it('answers locally from the start when Redis cannot be reached, and closes promptly', async () => {
    const port = server.port;
    await server.stop();
    const store = new RedisStateStore({ url: `redis://:${PASSWORD}@127.0.0.1:${port}`, commandTimeoutMs: 200, recoverAfterMs: 100 });
    const events = watch(store);
    try {
      const first = await timed(() => store.increment('n'));
      expect(first.value).toBe(0);
      expect(first.ms).toBeLessThan(200 + MARGIN_MS);
      expect(await store.increment('n')).toBe(1);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ name: 'unavailable', server: `redis://127.0.0.1:${port}`, reason: expect.stringMatching(/ECONNREFUSED|closed|not connected/) });
      expect(JSON.stringify(events)).not.toContain(PASSWORD);
    } finally {
      const closing = await timed(() => store.close());
      expect(closing.ms).toBeLessThan(2_000);
      await server.restart();
    }
    // After close: local answers, and no more events.
    expect(await store.increment('n')).toBe(2);
    expect(events).toHaveLength(1);
  }, 30_000);

  it('never shows a wrong password in its events', async () => {
    const wrong = 'wrong-password-value-91c2';
    const store = new RedisStateStore({ url: `redis://:${wrong}@127.0.0.1:${server.port}`, commandTimeoutMs: 2_000, recoverAfterMs: 100 });
    const events = watch(store);
    try {
      expect(await store.increment('n')).toBe(0);
      await waitUntil(() => events.length > 0, 'the unavailable event');
    } finally {
      await store.close();
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ name: 'unavailable', reason: expect.stringMatching(/WRONGPASS|NOAUTH|invalid/i) });
    expect(JSON.stringify(events)).not.toContain(wrong);
  }, 30_000);
});
