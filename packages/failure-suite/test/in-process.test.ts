/**
 * The failure table in-process: each row through a ClientRegistry whose leaf clients run the
 * vendors' official SDKs against the emulator, for every vendor that has the row's fault.
 */
import { AllClientsFailedError, ClientRegistry, MemoryStateStore, RegError, type Attempt, type GenerateResult } from '@reg/core';
import { startEmulator, vendorBaseUrls, type RunningEmulator, type VendorBaseUrls } from '@reg/testkit';
import { afterAll, beforeAll, expect } from 'vitest';
import { warmUp } from '../src/chaos-run.js';
import { drain, sleep, unusedPort, user, waitUntil, type DrainedStream } from '../src/observe.js';
import { PROVIDERS, VENDORS } from '../src/vendors.js';
import { answerOf, type BreakerEvent, type Mode, type RowSetup, type Step } from './failure-table.js';
import {
  checkAttempts,
  describeRows,
  checkBreakerEvents,
  checkUpstream,
  expectNoSecrets,
  expectStrictPrefix,
  modelNames,
  rowConfig,
  scriptLeaves,
  type RowRun,
} from './row-checks.js';

const ROW_TIMEOUT_MS = 20_000;

let emulator: RunningEmulator;
let refusedBaseUrls: VendorBaseUrls;

beforeAll(async () => {
  emulator = await startEmulator();
  refusedBaseUrls = vendorBaseUrls(`http://127.0.0.1:${await unusedPort()}`);
  // SDK set-up on a process's first calls must not eat into the rows' small timeouts.
  await warmUp(emulator, VENDORS);
});
afterAll(() => emulator.close());

describeRows({ label: 'in-process', vendors: VENDORS, modeTitle: (mode) => mode, timeoutMs: ROW_TIMEOUT_MS, run: runRow });

interface CallOutcome {
  result?: GenerateResult;
  drained?: DrainedStream;
  error?: unknown;
  calledAt: number;
  settledAt: number;
  abortedAt?: number;
}

async function runRow(input: RowRun): Promise<void> {
  const { vendor, row, mode, setup } = input;
  const models = modelNames(row, vendor, mode, setup);
  scriptLeaves(emulator, setup, models);
  const { config, target } = rowConfig({ vendor, setup, models, baseUrls: emulator.baseUrls, refusedBaseUrls });
  const registry = await ClientRegistry.fromConfig(config, { providers: PROVIDERS, store: new MemoryStateStore(), env: {}, random: () => 0 });
  const attempts: Attempt[] = [];
  const breakerEvents: BreakerEvent[] = [];
  const events: unknown[] = [];
  registry.on('attempt', (event) => attempts.push(event.attempt));
  registry.on('breaker', ({ client, from, to }) => breakerEvents.push({ client, from, to }));
  for (const name of ['attempt', 'retry', 'fallback', 'success', 'failure', 'breaker'] as const) registry.on(name, (event) => events.push(event));

  for (const step of row.steps) {
    if (step.waitBeforeMs) await sleep(step.waitBeforeMs);
    attempts.length = 0;
    const outcome = await call({ registry, target, mode, step, firstModel: models[Object.keys(setup.leaves)[0]!]! });
    checkOutcome({ outcome, step, mode, attempts, setup });
    checkBreakerEvents(breakerEvents, step.expect.breakerEvents);
    await checkUpstream({ emulator, models, step, seen: outcome });
  }
  expectNoSecrets(events, 'an event');
}

async function call(input: { registry: ClientRegistry; target: string; mode: Mode; step: Step; firstModel: string }): Promise<CallOutcome> {
  const { registry, target, mode, step } = input;
  const controller = new AbortController();
  const outcome: CallOutcome = { calledAt: performance.now(), settledAt: 0 };
  let settled = false;
  const abort = () => {
    if (settled || controller.signal.aborted) return;
    outcome.abortedAt = performance.now();
    controller.abort();
  };
  if (step.abort === 'before-headers' || step.abort === 'in-backoff') {
    // The first attempt is on its way (and hangs), or failed at once and its backoff runs.
    const delayMs = step.abort === 'before-headers' ? 50 : 150;
    void waitUntil(() => settled || emulator.requests({ model: input.firstModel }).length > 0).then(() => setTimeout(abort, delayMs));
  }
  const settings = { client: target, signal: controller.signal };
  if (mode === 'generate') {
    try {
      outcome.result = await registry.generate(user('Hi'), settings);
    } catch (error) {
      outcome.error = error;
    }
  } else {
    outcome.drained = await drain(registry.stream(user('Hi'), settings), () => {
      if (step.abort === 'mid-stream') abort();
    });
    outcome.error = outcome.drained.error;
  }
  settled = true;
  outcome.settledAt = performance.now();
  return outcome;
}

function checkOutcome(input: { outcome: CallOutcome; step: Step; mode: Mode; attempts: Attempt[]; setup: RowSetup }): void {
  const { outcome, step, mode, attempts, setup } = input;
  const expected = step.expect;
  const { result, drained, error } = outcome;
  if (expected.answer) {
    expect(error, `the call failed: ${error instanceof Error ? error.message : String(error)}`).toBeUndefined();
    const by = expected.answer.by;
    const finishReason = expected.answer.finishReason ?? 'stop';
    if (mode === 'generate') {
      expect(result!.text).toBe(answerOf(by));
      expect(result!.client).toBe(by);
      expect(result!.finishReason).toBe(finishReason);
      expect(result!.attempts).toEqual(attempts);
    } else {
      expect(drained!.text).toBe(answerOf(by));
      expect(drained!.parts.filter((part) => part.type === 'start')).toEqual([expect.objectContaining({ client: by })]);
      expect(drained!.finish?.finishReason).toBe(finishReason);
      expect(drained!.finish?.client).toBe(by);
      expect(drained!.finish?.attempts).toEqual(attempts);
    }
  } else {
    const failure = expected.error!;
    expect(RegError.isInstance(error), `expected a RegError, got ${String(error)}`).toBe(true);
    const regError = error as RegError;
    expect(regError.code, regError.message).toBe(failure.code);
    if (failure.cause) expect((regError.cause as RegError | undefined)?.code, regError.message).toBe(failure.cause);
    if (failure.openCircuits) {
      expect(AllClientsFailedError.isInstance(regError)).toBe(true);
      expect((regError as AllClientsFailedError & { openCircuits?: string[] }).openCircuits).toEqual(failure.openCircuits);
    }
    if (mode === 'stream') {
      if (failure.prefixOf) expectStrictPrefix(drained!.text, answerOf(failure.prefixOf));
      else expect(drained!.text, 'a stream that failed before content yielded text').toBe('');
      expect(drained!.finish, 'a failed stream yielded a finish part').toBeUndefined();
    }
    if (step.abort) expect(outcome.abortedAt, 'the abort trigger never fired').toBeDefined();
    expectNoSecrets(error, 'the error');
  }
  checkAttempts(attempts, expected.attempts, setup);
}
