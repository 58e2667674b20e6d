import type { BreakerSettings } from '@reg/core';
import type { Admission } from '@reg/core/state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStateStore } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing/redis-server.js';

const CONNECTIONS = 4;

let server: RedisServer;
let stores: RedisStateStore[] = [];
const outages: string[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  // Several stores, each with its own connection, as several processes would have. Answers must
  // come from Redis: a slow reply on a loaded machine must not become a local one.
  stores = Array.from({ length: CONNECTIONS }, () => new RedisStateStore({ url: server.url, prefix: 'atomic:', commandTimeoutMs: 10_000 }));
  for (const store of stores) store.on('unavailable', (event) => outages.push(event.message));
}, 200_000);

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await server?.dispose();
});

/** Runs `count` calls spread over every connection, all at once. */
function concurrently<T>(count: number, call: (store: RedisStateStore, index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => call(stores[index % stores.length]!, index)));
}

describe('RedisStateStore is atomic across connections', () => {
  it('hands out each counter value exactly once under concurrent increments', async () => {
    const values = await concurrently(2000, (store) => store.increment('round-robin:RR'));
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 2000 }, (_, index) => index));
    expect(await stores[0]!.increment('round-robin:RR')).toBe(2000);
    expect(outages).toEqual([]);
  });

  it('lets exactly `capacity` unit takes through a shared bucket', async () => {
    const taken = await concurrently(300, (store) => store.take('retry-budget:A', 1, 120));
    expect(taken.filter(Boolean)).toHaveLength(120);
    expect(outages).toEqual([]);
  });

  it('lets exactly halfOpenProbes concurrent admits through a half-open breaker', async () => {
    const settings: BreakerSettings = { failureThreshold: 1, failureRate: 0, minimumCalls: 1, windowMs: 60_000, cooldownMs: 5_000, halfOpenProbes: 3 };
    const openedAt = Date.now();
    expect(await stores[0]!.record('breaker:A', 'failure', false, openedAt, settings)).toEqual({ from: 'closed', to: 'open' });
    const halfOpenAt = openedAt + settings.cooldownMs;
    const admissions = await concurrently(60, (store) => store.admit('breaker:A', ['cooldown:A'], halfOpenAt, settings));
    const probes = admissions.filter((admission) => admission.admitted);
    expect(probes).toEqual([
      { admitted: true, probe: true },
      { admitted: true, probe: true },
      { admitted: true, probe: true },
    ]);
    const refused: Admission = { admitted: false, reason: 'open', key: 'breaker:A', untilMs: halfOpenAt + settings.cooldownMs };
    expect(admissions.filter((admission) => !admission.admitted)).toEqual(Array.from({ length: 57 }, () => refused));

    // One probe's success closes the breaker for every connection.
    expect(await stores[1]!.record('breaker:A', 'success', true, halfOpenAt + 10, settings)).toEqual({ from: 'half_open', to: 'closed' });
    expect(await stores[2]!.admit('breaker:A', [], halfOpenAt + 11, settings)).toEqual({ admitted: true, probe: false });
    expect(outages).toEqual([]);
  });
});
