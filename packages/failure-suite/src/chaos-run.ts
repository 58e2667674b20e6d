/**
 * The chaos run: many calls, generated and streamed, through `fallback[round-robin[A, B], C]`
 * while a seeded share of upstream calls fail with every kind of fault the emulator has. What must
 * hold whatever the faults (DESIGN.md §5-§8) is checked call by call and in the totals; the test
 * (test/chaos.test.ts), the property test and the benchmark (bench/chaos.mjs) all use this module.
 */
import { ClientRegistry, MemoryStateStore, RegError, type Attempt, type RegConfig, type RetryPolicyConfig } from '@reg/core';
import { startEmulator, type Fault, type Outcome, type RunningEmulator } from '@reg/testkit';
import { drain, user } from './observe.js';
import { clientOptions, PROVIDERS, providerName, type VendorName } from './vendors.js';

export type ChaosLeaf = 'A' | 'B' | 'C';
export const CHAOS_LEAVES: readonly ChaosLeaf[] = ['A', 'B', 'C'];

/** A small seeded PRNG (mulberry32): the same seed gives the same faults and the same call mix. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The fault kinds a chaos plan draws from, each with its parameters drawn from `random`. */
export const FAULT_MAKERS: ReadonlyArray<{ name: string; make: (random: () => number) => Fault }> = [
  { name: '500', make: () => ({ kind: 'status', status: 500 }) },
  { name: '502', make: () => ({ kind: 'status', status: 502 }) },
  { name: '503', make: () => ({ kind: 'status', status: 503 }) },
  { name: '504', make: () => ({ kind: 'status', status: 504 }) },
  { name: '529', make: () => ({ kind: 'status', status: 529 }) },
  { name: '429 short', make: (random) => ({ kind: 'status', status: 429, retryAfterMs: 10 + Math.floor(random() * 50) }) },
  { name: '429 long', make: () => ({ kind: 'status', status: 429, retryAfterMs: 150 }) },
  { name: '401', make: () => ({ kind: 'status', status: 401 }) },
  { name: '400', make: () => ({ kind: 'status', status: 400 }) },
  { name: 'reset', make: () => ({ kind: 'reset' }) },
  { name: 'hang', make: () => ({ kind: 'hang' }) },
  { name: 'slow-first-token', make: () => ({ kind: 'slow-first-token', delayMs: 5_000 }) },
  { name: 'stall', make: (random) => ({ kind: 'stall', afterParts: Math.floor(random() * 4) }) },
  { name: 'cut', make: (random) => ({ kind: 'cut', afterParts: Math.floor(random() * 4) }) },
  { name: 'malformed', make: (random) => ({ kind: 'malformed', afterParts: Math.floor(random() * 4) }) },
  { name: 'stream-error', make: (random) => ({ kind: 'stream-error', afterParts: Math.floor(random() * 4) }) },
  { name: 'drip', make: () => ({ kind: 'drip', intervalMs: 2 }) },
];

/** Each leaf's reply: distinct, long enough to stream in several parts. */
export function replyOf(leaf: ChaosLeaf): string {
  return `Reply of ${leaf}: every part of this answer arrives once, in order, or the caller hears why.`;
}

export const CHAOS_CHUNK_SIZE = 6;

/** Retry policies of the chaos clients (Retry-After up to 100 ms is waited for, longer gives up). */
export const CHAOS_RETRY: Record<ChaosLeaf, RetryPolicyConfig> = {
  A: { max_retries: 2, strategy: { type: 'constant_delay', delay_ms: 5 }, max_retry_after_ms: 100 },
  B: { max_retries: 2, strategy: { type: 'exponential_backoff', delay_ms: 5, multiplier: 2, max_delay_ms: 20 }, max_retry_after_ms: 100 },
  C: { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 5 }, max_retry_after_ms: 100 },
};

/** Breakers that open and close within the run. */
// Generous against a loaded machine (the emulator shares the event loop with 16 callers); a hang costs 1.5 s.
export const CHAOS_HTTP: Record<string, number> = { request_timeout_ms: 1_500, time_to_first_token_timeout_ms: 1_000, idle_timeout_ms: 1_000 };
export const CHAOS_BREAKER = { failure_threshold: 5, cooldown_ms: 100 };

/** Upstream requests one call may make at most: a round-robin member's attempts plus C's. */
export const MAX_REQUESTS_PER_CALL = 1 + Math.max(CHAOS_RETRY.A.max_retries, CHAOS_RETRY.B.max_retries) + 1 + CHAOS_RETRY.C.max_retries;

/** A call that takes longer than this counts as hung. */
const WATCHDOG_MS = 20_000;

export interface ChaosVendors {
  A: VendorName;
  B: VendorName;
  C: VendorName;
}

export const DEFAULT_CHAOS_VENDORS: ChaosVendors = { A: 'openai', B: 'anthropic', C: 'bedrock' };

/** The emulator scripts of one plan: a sequence of outcomes per leaf, drawn from the seed. */
export function chaosScripts(input: { random: () => number; failureRate: number; length: number; makers?: typeof FAULT_MAKERS }): Record<ChaosLeaf, Outcome[]> {
  const makers = input.makers ?? FAULT_MAKERS;
  const sequence = (): Outcome[] =>
    Array.from({ length: input.length }, () => (input.random() < input.failureRate ? makers[Math.floor(input.random() * makers.length)]!.make(input.random) : 'ok'));
  return { A: sequence(), B: sequence(), C: sequence() };
}

/** `fallback[round-robin[A, B], C]` on the emulator, each leaf under its own model name. */
export function chaosConfig(input: {
  emulator: RunningEmulator;
  models: Record<ChaosLeaf, string>;
  vendors: ChaosVendors;
  http?: Record<string, number>;
}): RegConfig {
  const { emulator, models, vendors } = input;
  const http = input.http ?? CHAOS_HTTP;
  return {
    primary: 'Chaos',
    clients: [
      ...CHAOS_LEAVES.map((leaf) => ({
        name: leaf,
        provider: providerName(vendors[leaf]),
        retry_policy: `${leaf}Retry`,
        options: { ...clientOptions(vendors[leaf], emulator.baseUrls, models[leaf]), http, circuit_breaker: CHAOS_BREAKER },
      })),
      { name: 'Pair', provider: 'round-robin', options: { strategy: ['A', 'B'] } },
      { name: 'Chaos', provider: 'fallback', options: { strategy: ['Pair', 'C'] } },
    ],
    retry_policies: Object.fromEntries(CHAOS_LEAVES.map((leaf) => [`${leaf}Retry`, CHAOS_RETRY[leaf]])),
  };
}

/**
 * Checks calls against what must hold whatever the faults, and keeps the counts. A violation is a
 * line of text naming the call and what was wrong.
 */
export class ChaosLedger {
  readonly violations: string[] = [];
  answered = 0;
  readonly answeredBy: Record<string, number> = {};
  readonly failedByCode: Record<string, number> = {};
  /** Attempts the monitoring records report, by client: with a request, and skipped without one. */
  readonly monitored: Record<string, number> = {};
  readonly skipped: Record<string, number> = {};
  readonly breakerChanges: Record<string, number> = {};
  readonly #attemptsByCall = new Map<number, Attempt[]>();

  /** Listens to the registry's monitoring events. */
  observe(registry: ClientRegistry): void {
    registry.on('attempt', ({ call, attempt }) => {
      const list = this.#attemptsByCall.get(call) ?? [];
      list.push(attempt);
      this.#attemptsByCall.set(call, list);
      const counts = attempt.status === 'skipped' ? this.skipped : this.monitored;
      counts[attempt.client] = (counts[attempt.client] ?? 0) + 1;
    });
    registry.on('breaker', ({ client, to }) => {
      const key = `${client} -> ${to}`;
      this.breakerChanges[key] = (this.breakerChanges[key] ?? 0) + 1;
    });
  }

  /** Runs one call with a watchdog and checks what its caller got. */
  async call(input: { registry: ClientRegistry; mode: 'generate' | 'stream'; label: string }): Promise<void> {
    const { registry, mode, label } = input;
    const controller = new AbortController();
    let hung = false;
    const watchdog = setTimeout(() => {
      hung = true;
      controller.abort(new Error(`chaos watchdog: ${label} ran past ${WATCHDOG_MS} ms`));
    }, WATCHDOG_MS);
    try {
      if (mode === 'generate') {
        try {
          const result = await registry.generate(user('Hi'), { signal: controller.signal });
          this.#answer(label, result.client, result.text, result.attempts);
        } catch (error) {
          this.#failure(label, error, undefined);
        }
      } else {
        const drained = await drain(registry.stream(user('Hi'), { signal: controller.signal }));
        const start = drained.parts.find((part) => part.type === 'start');
        if (drained.error === undefined) {
          if (!drained.finish) this.violations.push(`${label}: the stream ended without error and without a finish part (silent truncation)`);
          else this.#answer(label, drained.finish.client, drained.text, drained.finish.attempts);
          if (start?.type === 'start' && drained.finish && start.client !== drained.finish.client) {
            this.violations.push(`${label}: the stream started on ${start.client} but finished on ${drained.finish.client}`);
          }
        } else {
          this.#failure(label, drained.error, { text: drained.text, client: start?.type === 'start' ? start.client : undefined });
        }
      }
    } finally {
      clearTimeout(watchdog);
      if (hung) this.violations.push(`${label}: hung (no answer and no error within ${WATCHDOG_MS} ms)`);
    }
  }

  #answer(label: string, client: string, text: string, attempts: Attempt[]): void {
    this.answered++;
    this.answeredBy[client] = (this.answeredBy[client] ?? 0) + 1;
    const expected = replyOf(client as ChaosLeaf);
    if (text !== expected) this.violations.push(`${label}: ${client} answered ${JSON.stringify(text)}, not its reply ${JSON.stringify(expected)}`);
    const last = attempts.at(-1);
    if (last?.client !== client || last.status !== 'success') {
      this.violations.push(`${label}: the monitoring record does not end with ${client}'s success: ${JSON.stringify(last)}`);
    }
  }

  #failure(label: string, error: unknown, streamed: { text: string; client: string | undefined } | undefined): void {
    if (!RegError.isInstance(error)) {
      this.violations.push(`${label}: failed with something that is not a RegError: ${String(error)}`);
      return;
    }
    this.failedByCode[error.code] = (this.failedByCode[error.code] ?? 0) + 1;
    if (!streamed) return;
    if (error.code === 'stream_interrupted') {
      // A prefix, possibly all of the text: a stream may fail after its last text part, before its finish.
      const reply = streamed.client === undefined ? undefined : replyOf(streamed.client as ChaosLeaf);
      if (reply === undefined || !reply.startsWith(streamed.text)) {
        this.violations.push(`${label}: interrupted after ${JSON.stringify(streamed.text)}, which is not a prefix of ${streamed.client}'s reply`);
      }
    } else if (streamed.text !== '') {
      this.violations.push(`${label}: yielded ${JSON.stringify(streamed.text)} and then failed with ${error.code}, not stream_interrupted`);
    }
  }

  /**
   * The totals: what reached the emulator equals what the monitoring records report, per client,
   * and no call made more requests to a client than its retry policy allows.
   */
  settle(input: { upstream: Record<string, number>; calls: number; allowedPerClient: Record<string, number> }): void {
    for (const [client, requests] of Object.entries(input.upstream)) {
      const monitored = this.monitored[client] ?? 0;
      if (requests !== monitored) this.violations.push(`${client}: the upstream received ${requests} requests, the monitoring records report ${monitored} attempts`);
    }
    const total = Object.values(input.upstream).reduce((sum, count) => sum + count, 0);
    if (total > input.calls * MAX_REQUESTS_PER_CALL) {
      this.violations.push(`${total} upstream requests for ${input.calls} calls: more than the retry policies allow (${MAX_REQUESTS_PER_CALL} a call)`);
    }
    for (const [call, attempts] of this.#attemptsByCall) {
      for (const [client, allowed] of Object.entries(input.allowedPerClient)) {
        const made = attempts.filter((attempt) => attempt.client === client && attempt.status !== 'skipped').length;
        if (made > allowed) this.violations.push(`call ${call}: ${made} attempts on ${client}, its policy allows ${allowed}`);
      }
    }
  }
}

/**
 * One generated and one streamed call per vendor, unscripted faults aside: a process's first call
 * through an SDK pays for its lazy setup (hundreds of milliseconds on a cold, loaded machine),
 * which small timeouts would mistake for a slow upstream before the request is even sent.
 */
export async function warmUp(emulator: RunningEmulator, vendors: readonly VendorName[]): Promise<void> {
  const registry = await ClientRegistry.fromConfig(
    { clients: vendors.map((vendor) => ({ name: `WarmUp-${vendor}`, provider: providerName(vendor), options: clientOptions(vendor, emulator.baseUrls, `warm-up-${vendor}`) })) },
    { providers: PROVIDERS, store: new MemoryStateStore(), env: {} },
  );
  for (const vendor of vendors) {
    await registry.generate(user('Hi'), { client: `WarmUp-${vendor}` });
    const drained = await drain(registry.stream(user('Hi'), { client: `WarmUp-${vendor}` }));
    if (drained.error) throw drained.error;
  }
}

export interface ChaosOptions {
  seed: number;
  calls?: number;
  concurrency?: number;
  /** Share of upstream calls that fail (default 0.3). */
  failureRate?: number;
  vendors?: ChaosVendors;
  /** An emulator to use; otherwise one is started and closed. */
  emulator?: RunningEmulator;
}

export interface ChaosReport {
  seed: number;
  calls: number;
  concurrency: number;
  failureRate: number;
  vendors: ChaosVendors;
  durationMs: number;
  answered: number;
  answeredBy: Record<string, number>;
  failedByCode: Record<string, number>;
  /** Requests the emulator received per client, and attempts the monitoring records report. */
  upstream: Record<string, number>;
  monitored: Record<string, number>;
  skipped: Record<string, number>;
  breakerChanges: Record<string, number>;
  /** Faults the emulator served, per kind. */
  servedFaults: Record<string, number>;
  violations: string[];
}

let runs = 0;

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const calls = options.calls ?? 1_000;
  const concurrency = options.concurrency ?? 16;
  const failureRate = options.failureRate ?? 0.3;
  const vendors = options.vendors ?? DEFAULT_CHAOS_VENDORS;
  const random = seededRandom(options.seed);
  const emulator = options.emulator ?? (await startEmulator());
  try {
    await warmUp(emulator, [...new Set(Object.values(vendors))]);
    const run = ++runs;
    const models = Object.fromEntries(CHAOS_LEAVES.map((leaf) => [leaf, `chaos-${options.seed}-${run}-${leaf}`.toLowerCase()])) as Record<ChaosLeaf, string>;
    // Enough outcomes for every request a call may make; past the end, models answer normally.
    const scripts = chaosScripts({ random, failureRate, length: calls * 2 });
    for (const leaf of CHAOS_LEAVES) {
      emulator.script(models[leaf], { sequence: scripts[leaf], reply: { text: replyOf(leaf) }, chunkSize: CHAOS_CHUNK_SIZE });
    }
    const modes = Array.from({ length: calls }, () => (random() < 0.5 ? ('generate' as const) : ('stream' as const)));
    const registry = await ClientRegistry.fromConfig(chaosConfig({ emulator, models, vendors }), {
      providers: PROVIDERS,
      store: new MemoryStateStore(),
      env: {},
      random,
    });
    const ledger = new ChaosLedger();
    ledger.observe(registry);

    const startedAt = performance.now();
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < calls; index = next++) {
        await ledger.call({ registry, mode: modes[index]!, label: `call ${index + 1} (${modes[index]})` });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const durationMs = performance.now() - startedAt;

    const upstream = Object.fromEntries(CHAOS_LEAVES.map((leaf) => [leaf, emulator.requests({ model: models[leaf] }).length]));
    // Each request consumed the next outcome of its model's sequence: the first `upstream` ones were served.
    const servedFaults: Record<string, number> = {};
    for (const leaf of CHAOS_LEAVES) {
      for (const outcome of scripts[leaf].slice(0, upstream[leaf])) {
        if (outcome === 'ok' || !('kind' in outcome)) continue;
        const name = outcome.kind === 'status' ? `status ${outcome.status}` : outcome.kind;
        servedFaults[name] = (servedFaults[name] ?? 0) + 1;
      }
    }
    const allowedPerClient = Object.fromEntries(CHAOS_LEAVES.map((leaf) => [leaf, 1 + CHAOS_RETRY[leaf].max_retries]));
    ledger.settle({ upstream, calls, allowedPerClient });
    return {
      seed: options.seed,
      calls,
      concurrency,
      failureRate,
      vendors,
      durationMs,
      answered: ledger.answered,
      answeredBy: ledger.answeredBy,
      failedByCode: ledger.failedByCode,
      upstream,
      monitored: ledger.monitored,
      skipped: ledger.skipped,
      breakerChanges: ledger.breakerChanges,
      servedFaults,
      violations: ledger.violations,
    };
  } finally {
    if (!options.emulator) await emulator.close();
  }
}

/** The report as a few lines of text. */
export function formatChaosReport(report: ChaosReport): string {
  const failed = Object.values(report.failedByCode).reduce((sum, count) => sum + count, 0);
  const pairs = (record: Record<string, number>) =>
    Object.entries(record)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${key} ${value}`)
      .join(', ') || 'none';
  return [
    `chaos seed ${report.seed}: ${report.calls} calls (${report.concurrency} at a time, ${Math.round(report.failureRate * 100)}% of upstream calls scripted to fail), fallback[round-robin[A ${report.vendors.A}, B ${report.vendors.B}], C ${report.vendors.C}]`,
    `  time ${(report.durationMs / 1000).toFixed(2)} s, ${(report.calls / (report.durationMs / 1000)).toFixed(0)} calls/s`,
    `  answered ${report.answered} (by ${pairs(report.answeredBy)}), failed ${failed} (${pairs(report.failedByCode)})`,
    `  upstream requests ${pairs(report.upstream)}; monitored attempts ${pairs(report.monitored)}; skipped (breaker/cooldown) ${pairs(report.skipped)}`,
    `  breaker changes ${pairs(report.breakerChanges)}`,
    `  faults served ${pairs(report.servedFaults)}`,
    `  violations ${report.violations.length}`,
    ...report.violations.slice(0, 20).map((violation) => `    - ${violation}`),
  ].join('\n');
}
