/** What the in-process and the gateway runs of the failure table check alike. */
import { inspect } from 'node:util';
import type { Attempt, ClientConfig, RegConfig, RetryPolicyConfig } from '@reg/core';
import type { RecordedRequest, RunningEmulator, VendorBaseUrls } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../src/observe.js';
import { clientOptions, providerName, SECRETS, type VendorName } from '../src/vendors.js';
import {
  answerOf,
  BACKOFF_QUIET_MS,
  BREAKER_TABLE,
  FAILURE_TABLE,
  CHUNK_SIZE,
  FAULT_CODE,
  QUIET_AFTER_MS,
  type AttemptSpec,
  type BreakerEvent,
  type FailureRow,
  type Mode,
  type RowSetup,
  type Seen,
  type Step,
  type StrategySpec,
} from './failure-table.js';

let counter = 0;

/** A model name per leaf that no other test uses, so scripts and request logs never mix. */
/** One row to run: a vendor, a row of the tables, a mode, and the row's set-up for that vendor. */
export interface RowRun {
  vendor: VendorName;
  row: FailureRow;
  mode: Mode;
  setup: RowSetup;
}

/**
 * Registers every row of both tables, for each vendor and each of the row's modes, as a concurrent
 * test that calls `run`. A fault this vendor's API never produces (529 outside Anthropic, ...) is
 * not a test for it; the README lists these rows and why.
 */
export function describeRows(input: {
  label: string;
  vendors: readonly VendorName[];
  modeTitle: (mode: Mode) => string;
  timeoutMs: number;
  run: (row: RowRun) => Promise<void>;
}): void {
  for (const vendor of input.vendors) {
    describe.concurrent(`${input.label}, ${vendor}`, () => {
      for (const row of [...FAILURE_TABLE, ...BREAKER_TABLE]) {
        for (const mode of row.modes) {
          const setup = row.setup(vendor);
          if (typeof setup === 'string') continue;
          it(`${row.id} [${input.modeTitle(mode)}]: ${row.title}`, () => input.run({ vendor, row, mode, setup }), input.timeoutMs);
        }
      }
    });
  }
}

export function modelNames(row: FailureRow, vendor: VendorName, mode: Mode, setup: RowSetup): Record<string, string> {
  const n = ++counter;
  return Object.fromEntries(Object.keys(setup.leaves).map((leaf) => [leaf, `${row.id}-${leaf}-${vendor}-${mode}-${n}`.toLowerCase()]));
}

export function strategiesOf(setup: RowSetup): StrategySpec[] {
  return setup.strategies ?? [{ name: 'F', provider: 'fallback', strategy: Object.keys(setup.leaves) }];
}

/** Scripts every leaf's model on the emulator. */
export function scriptLeaves(emulator: RunningEmulator, setup: RowSetup, models: Record<string, string>): void {
  for (const [leaf, spec] of Object.entries(setup.leaves)) {
    if (spec.refused) continue;
    emulator.script(models[leaf]!, spec.script ?? { reply: { text: answerOf(leaf) }, chunkSize: CHUNK_SIZE });
  }
}

/** The row's registry as a config (the shape both ClientRegistry.fromConfig and the gateway take). */
export function rowConfig(input: {
  vendor: VendorName;
  setup: RowSetup;
  models: Record<string, string>;
  baseUrls: VendorBaseUrls;
  refusedBaseUrls: VendorBaseUrls;
}): { config: RegConfig; target: string } {
  const { vendor, setup, models } = input;
  const retryPolicies: Record<string, RetryPolicyConfig> = {};
  const clients: ClientConfig[] = Object.entries(setup.leaves).map(([leaf, spec]) => {
    if (spec.retry) retryPolicies[`${leaf}Retry`] = spec.retry;
    return {
      name: leaf,
      provider: providerName(vendor),
      retry_policy: spec.retry ? `${leaf}Retry` : null,
      options: {
        ...clientOptions(vendor, spec.refused ? input.refusedBaseUrls : input.baseUrls, models[leaf]!),
        ...(spec.http ? { http: spec.http } : {}),
        ...spec.options,
      },
    };
  });
  const strategies = strategiesOf(setup);
  for (const strategy of strategies) clients.push({ name: strategy.name, provider: strategy.provider, options: { strategy: strategy.strategy } });
  const target = strategies.at(-1)!.name;
  return { config: { primary: target, clients, retry_policies: retryPolicies }, target };
}

/** The attempts of one call against the row's expectation, field by field. */
export function checkAttempts(actual: readonly Attempt[], expected: readonly AttemptSpec[], setup: RowSetup): void {
  const summary = actual.map((attempt) => `${attempt.client}:${attempt.status}:${attempt.code ?? ''}:${attempt.gaveUp ?? ''}`);
  expect(actual.length, `attempts were ${summary.join(', ')}`).toBe(expected.length);
  expected.forEach((spec, index) => {
    const attempt = actual[index]!;
    const where = `attempt ${index + 1} (${summary.join(', ')})`;
    expect(attempt.client, where).toBe(spec.client);
    expect(attempt.status, where).toBe(spec.status);
    const code = spec.code === FAULT_CODE ? setup.faultCode : spec.code;
    if (code !== undefined) expect(attempt.code, `${where}: ${attempt.message ?? ''}`).toBe(code);
    if (spec.status === 'success') expect(attempt.code, where).toBeUndefined();
    if (spec.gaveUp !== undefined) expect(attempt.gaveUp, where).toBe(spec.gaveUp ?? undefined);
    if (spec.retryAfterMs !== undefined) expect(attempt.retryAfterMs, where).toBe(spec.retryAfterMs);
  });
}

/** The expected breaker changes happened, in this order (other changes may come between). */
export function checkBreakerEvents(actual: readonly BreakerEvent[], expected: readonly BreakerEvent[] | undefined): void {
  if (!expected) return;
  let next = 0;
  for (const event of actual) {
    const wanted = expected[next];
    if (wanted && wanted.client === event.client && wanted.from === event.from && wanted.to === event.to) next++;
  }
  const seen = actual.map((event) => `${event.client}: ${event.from} -> ${event.to}`).join(', ') || 'none';
  expect(next, `breaker events were: ${seen}`).toBe(expected.length);
}

/** A strict, non-empty prefix of `whole`: what a failed stream may have shown, never all of it, never repeated. */
export function expectStrictPrefix(text: string, whole: string): void {
  expect(text.length, 'the stream yielded no text before it failed').toBeGreaterThan(0);
  expect(text.length, `"${text}" is the whole reply, yet the stream failed`).toBeLessThan(whole.length);
  expect(whole.startsWith(text), `"${text}" is not a prefix of "${whole}"`).toBe(true);
}

/**
 * What reached the upstreams: the request count per leaf (checked again after a quiet wait when
 * the call failed, so a late retry or fallback would show), closed requests, and the row's timing.
 */
export async function checkUpstream(input: {
  emulator: RunningEmulator;
  models: Record<string, string>;
  step: Step;
  seen: Omit<Seen, 'requests'>;
}): Promise<void> {
  const { emulator, models, step } = input;
  const expected = step.expect;
  const requestsOf = (leaf: string): RecordedRequest[] => emulator.requests({ model: models[leaf]! });
  const counts = () => Object.fromEntries(Object.keys(expected.requests).map((leaf) => [leaf, requestsOf(leaf).length]));
  expect(counts(), 'requests per upstream right after the call').toEqual(expected.requests);
  if (expected.error) {
    // Past the moment the next retry or fallback would have been sent.
    const quietUntil = step.abort === 'in-backoff' ? requestsOf('A')[0]!.receivedAt + BACKOFF_QUIET_MS : performance.now() + QUIET_AFTER_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, quietUntil - performance.now())));
    expect(counts(), 'requests per upstream after waiting past the next retry').toEqual(expected.requests);
  }
  for (const [leaf, count] of Object.entries(expected.closed ?? {})) {
    const closedCount = () => requestsOf(leaf).filter((request) => request.clientClosedAt !== undefined).length;
    await waitUntil(() => closedCount() >= count, 2_000);
    expect(closedCount(), `requests of ${leaf} the client closed`).toBe(count);
  }
  const requests = Object.fromEntries(Object.keys(models).map((leaf) => [leaf, requestsOf(leaf)]));
  expected.timing?.({ ...input.seen, requests });
}

/** Nothing a user could print of `value` holds a credential. */
export function expectNoSecrets(value: unknown, what: string): void {
  const printed = [inspect(value, { depth: 10 }), value instanceof Error ? `${value.message}\n${value.stack ?? ''}` : '', safeJson(value)].join('\n');
  for (const secret of SECRETS) expect(printed.includes(secret), `${what} contains a credential`).toBe(false);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
