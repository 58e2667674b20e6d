import { MemoryStateStore, type BreakerSettings, type StateStore } from '@reg/core';
import type { BreakerOutcome } from '@reg/core/state';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStateStore } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing/redis-server.js';

type Operation =
  | { type: 'increment'; key: string }
  | { type: 'take' | 'give'; key: string; amount: number; capacity: number }
  | { type: 'admit'; breaker: string; cooldowns: string[]; advanceMs: number }
  | { type: 'record'; breaker: string; outcome: BreakerOutcome; probe: boolean; advanceMs: number }
  | { type: 'coolDown'; key: string; deltaMs: number; advanceMs: number };

const counterKey = fc.constantFrom('rr:A', 'rr:B');
const bucketKey = fc.constantFrom('budget:A', 'budget:B');
const breakerKey = fc.constantFrom('breaker:A', 'breaker:A', 'breaker:B');
const cooldownKey = fc.constantFrom('cooldown:A', 'cooldown:B', 'cooldown-group:G');
// Steps on a coarse grid hit the boundaries (a deadline reached exactly) that off-by-one bugs hide
// behind; a few go back a little, as the clocks of several hosts do.
const advance = fc.oneof(
  { arbitrary: fc.constantFrom(0, 25, 50, 100, 200), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 60 }), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 4000 }), weight: 1 },
  { arbitrary: fc.integer({ min: -40, max: -1 }), weight: 1 },
);
const period = fc.oneof(fc.constantFrom(25, 50, 100, 200, 500), fc.integer({ min: 1, max: 3000 }));
// Fractions too: the scripts must carry doubles through Redis exactly (0.3 - 0.1 - 0.1 < 0.1).
const tokens = fc.oneof(
  fc.integer({ min: 0, max: 12 }),
  fc.constantFrom(0.1, 0.2, 0.3, 0.7),
  fc.double({ min: 0, max: 12, noNaN: true, noDefaultInfinity: true }),
);
const capacity = fc.constantFrom(10, 20, 7.5, 0.3, 1);

const operation: fc.Arbitrary<Operation> = fc.oneof(
  counterKey.map((key) => ({ type: 'increment' as const, key })),
  fc.record({ type: fc.constant('take' as const), key: bucketKey, amount: tokens, capacity }),
  fc.record({ type: fc.constant('give' as const), key: bucketKey, amount: tokens, capacity }),
  fc.record({ type: fc.constant('admit' as const), breaker: breakerKey, cooldowns: fc.uniqueArray(cooldownKey, { maxLength: 2 }), advanceMs: advance }),
  fc.record({ type: fc.constant('admit' as const), breaker: breakerKey, cooldowns: fc.uniqueArray(cooldownKey, { maxLength: 2 }), advanceMs: advance }),
  fc.record({
    type: fc.constant('record' as const),
    breaker: breakerKey,
    outcome: fc.constantFrom<BreakerOutcome>('success', 'failure', 'failure', 'neutral'),
    probe: fc.boolean(),
    advanceMs: advance,
  }),
  fc.record({ type: fc.constant('coolDown' as const), key: cooldownKey, deltaMs: fc.oneof(fc.constantFrom(0, 25, 50, 100), fc.integer({ min: -500, max: 3000 })), advanceMs: advance }),
);

const settingsArbitrary: fc.Arbitrary<BreakerSettings> = fc.record({
  failureThreshold: fc.integer({ min: 0, max: 4 }),
  failureRate: fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  minimumCalls: fc.integer({ min: 1, max: 6 }),
  windowMs: period,
  cooldownMs: period,
  halfOpenProbes: fc.integer({ min: 0, max: 3 }),
});

/** Runs the operations on one store, with the clock starting at `startMs`; returns every answer. */
async function answers(store: StateStore, operations: Operation[], settings: BreakerSettings, scope: string, startMs: number) {
  const results: unknown[] = [];
  let now = startMs;
  for (const step of operations) {
    if ('advanceMs' in step) now += step.advanceMs;
    switch (step.type) {
      case 'increment':
        results.push(await store.increment(scope + step.key));
        break;
      case 'take':
        results.push(await store.take(scope + step.key, step.amount, step.capacity));
        break;
      case 'give':
        results.push(await store.give(scope + step.key, step.amount, step.capacity));
        break;
      case 'admit':
        results.push(await store.admit(scope + step.breaker, step.cooldowns.map((key) => scope + key), now, settings));
        break;
      case 'record':
        results.push(await store.record(scope + step.breaker, step.outcome, step.probe, now, settings));
        break;
      case 'coolDown':
        results.push(await store.coolDown(scope + step.key, now + step.deltaMs));
        break;
    }
  }
  return results;
}

const START = 1_750_000_000_000;

let server: RedisServer;
let store: RedisStateStore;
const outages: string[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  // Every answer here must come from Redis: a slow reply on a loaded machine must not become a local one.
  store = new RedisStateStore({ url: server.url, prefix: 'differential:', commandTimeoutMs: 10_000 });
  store.on('unavailable', (event) => outages.push(event.message));
}, 200_000);

afterAll(async () => {
  await store?.close();
  await server?.dispose();
});

describe('RedisStateStore answers as MemoryStateStore does', () => {
  // Fixed sequences on the boundaries that random ones reach only now and then.
  const settings: BreakerSettings = { failureThreshold: 0, failureRate: 0.5, minimumCalls: 2, windowMs: 100, cooldownMs: 100, halfOpenProbes: 1 };
  const scenarios: Array<{ name: string; settings?: Partial<BreakerSettings>; operations: Operation[]; expected: unknown[] }> = [
    {
      name: 'a failure-rate window ends exactly windowMs after it started',
      operations: [
        { type: 'record', breaker: 'b', outcome: 'failure', probe: false, advanceMs: 0 },
        { type: 'record', breaker: 'b', outcome: 'failure', probe: false, advanceMs: 100 },
        { type: 'record', breaker: 'b', outcome: 'failure', probe: false, advanceMs: 99 },
      ],
      expected: [undefined, undefined, { from: 'closed', to: 'open' }],
    },
    {
      name: 'an open breaker lets a probe through exactly at openUntil, and a probe slot lapses exactly at probesUntil',
      settings: { failureThreshold: 1 },
      operations: [
        { type: 'record', breaker: 'b', outcome: 'failure', probe: false, advanceMs: 0 },
        { type: 'admit', breaker: 'b', cooldowns: [], advanceMs: 99 },
        { type: 'admit', breaker: 'b', cooldowns: [], advanceMs: 1 },
        { type: 'admit', breaker: 'b', cooldowns: [], advanceMs: 99 },
        { type: 'admit', breaker: 'b', cooldowns: [], advanceMs: 1 },
      ],
      expected: [
        { from: 'closed', to: 'open' },
        { admitted: false, reason: 'open', key: 'b', untilMs: START + 100 },
        { admitted: true, probe: true },
        { admitted: false, reason: 'open', key: 'b', untilMs: START + 200 },
        { admitted: true, probe: true },
      ],
    },
    {
      name: 'a cooldown ends exactly at its deadline, and the later deadline wins',
      operations: [
        { type: 'coolDown', key: 'c', deltaMs: 50, advanceMs: 0 },
        { type: 'coolDown', key: 'c', deltaMs: 10, advanceMs: 0 },
        { type: 'admit', breaker: 'b', cooldowns: ['other', 'c'], advanceMs: 49 },
        { type: 'admit', breaker: 'b', cooldowns: ['other', 'c'], advanceMs: 1 },
        { type: 'coolDown', key: 'c', deltaMs: -20, advanceMs: 0 },
        { type: 'admit', breaker: 'b', cooldowns: ['c'], advanceMs: -25 },
      ],
      expected: [
        undefined,
        undefined,
        { admitted: false, reason: 'cooldown', key: 'c', untilMs: START + 50 },
        { admitted: true, probe: false },
        undefined,
        { admitted: false, reason: 'cooldown', key: 'c', untilMs: START + 30 },
      ],
    },
    {
      name: 'a budget in fractions is kept exactly (0.3 - 0.1 - 0.1 < 0.1)',
      operations: [
        { type: 'give', key: 'k', amount: 1, capacity: 0.3 },
        { type: 'take', key: 'k', amount: 0.1, capacity: 0.3 },
        { type: 'take', key: 'k', amount: 0.1, capacity: 0.3 },
        { type: 'take', key: 'k', amount: 0.1, capacity: 0.3 },
        { type: 'give', key: 'k', amount: 0.05, capacity: 0.3 },
        { type: 'take', key: 'k', amount: 0.1, capacity: 0.3 },
      ],
      expected: [undefined, true, true, false, undefined, true],
    },
    {
      name: "a probe's outcome on a breaker never seen creates it, starting its window then",
      settings: { minimumCalls: 2, windowMs: 100 },
      operations: [
        { type: 'record', breaker: 'b', outcome: 'success', probe: true, advanceMs: 0 },
        { type: 'record', breaker: 'b', outcome: 'failure', probe: false, advanceMs: 60 },
        { type: 'record', breaker: 'b', outcome: 'failure', probe: false, advanceMs: 60 },
      ],
      expected: [undefined, undefined, undefined],
    },
  ];

  it.each(scenarios)('$name', async (scenario) => {
    const merged = { ...settings, ...scenario.settings };
    const scope = `scenario:${scenarios.indexOf(scenario)}:`;
    // What the memory store answers is what breaker.ts means; Redis (under its own keys) must agree.
    expect(await answers(new MemoryStateStore(), scenario.operations, merged, '', START)).toEqual(scenario.expected);
    const expected = await answers(new MemoryStateStore(), scenario.operations, merged, scope, START);
    expect(await answers(store, scenario.operations, merged, scope, START)).toEqual(expected);
  });

  it('for random sequences of every operation, with explicit times', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        // size 'max': fast-check's default size keeps arrays to about ten elements, too short for a breaker's life.
        fc.array(operation, { minLength: 20, maxLength: 120, size: 'max' }),
        settingsArbitrary,
        fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
        async (operations, settings, startMs) => {
          // Fresh keys per run: the memory store starts empty each time, so must Redis.
          const scope = `run${run++}:`;
          const expected = await answers(new MemoryStateStore(), operations, settings, scope, startMs);
          const actual = await answers(store, operations, settings, scope, startMs);
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
    expect(outages).toEqual([]);
    expect(run).toBeGreaterThanOrEqual(300);
  }, 60_000);
});
