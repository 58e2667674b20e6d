/**
 * The failure table: one row per vendor fault, with the behaviour reg promises for it (DESIGN.md
 * §5-§8). The same rows run in-process through a ClientRegistry (in-process.test.ts) and through
 * the gateway over HTTP (gateway.test.ts). Each row says what the emulator scripts, what the caller
 * gets, which attempts the monitoring record holds, and exactly what reached each upstream.
 */
import type { Attempt, ErrorCode, FinishReason, RetryPolicyConfig } from '@reg/core';
import type { ModelScript, Outcome, RecordedRequest } from '@reg/testkit';
import { expect } from 'vitest';
import {
  contentFilterError,
  contextLength,
  inBandError,
  quotaExhausted,
  rateLimited,
  statusExists,
  type VendorName,
} from '../src/vendors.js';

export type Mode = 'generate' | 'stream';

/** A leaf client of a row, on the emulator under a model name of its own. */
export interface LeafSpec {
  /** What its model does; default: answers `answerOf(name)`. */
  script?: ModelScript;
  /** Points the client at a 127.0.0.1 port nothing listens on. */
  refused?: true;
  /** Its retry policy; default none (one attempt). */
  retry?: RetryPolicyConfig;
  /** `options.http`. */
  http?: Record<string, number>;
  /** Further core options (`circuit_breaker`, `rate_limit_group`). */
  options?: Record<string, unknown>;
}

export interface StrategySpec {
  name: string;
  provider: 'fallback' | 'round-robin';
  strategy: string[];
}

export interface RowSetup {
  leaves: Record<string, LeafSpec>;
  /** Strategies over the leaves; calls go to the last one. Default: `F = fallback[A, B]`. */
  strategies?: StrategySpec[];
  /** The code the row's fault maps to for this vendor, where it differs by vendor. */
  faultCode?: ErrorCode;
}

/** Stands for the row's vendor-specific `faultCode` in expected attempts. */
export const FAULT_CODE = 'fault-code';

export interface AttemptSpec {
  client: string;
  status: 'success' | 'failure' | 'skipped';
  /** Omitted: any code (the DESIGN leaves it open, e.g. for a cut connection). */
  code?: ErrorCode | typeof FAULT_CODE;
  /** Checked when given; `null` means "no gaveUp" (a retry followed, or the caller aborted). */
  gaveUp?: Attempt['gaveUp'] | null;
  retryAfterMs?: number;
}

/** How the caller ends a call early. */
export type CallerAbort =
  /** While the first attempt waits for response headers. */
  | 'before-headers'
  /** While the leaf client sleeps before a retry. */
  | 'in-backoff'
  /** After the first text reached the caller. */
  | 'mid-stream';

export interface Seen {
  /** Requests per leaf, oldest first. */
  requests: Record<string, RecordedRequest[]>;
  /** `performance.now()` when the call started, when it settled, and when the caller aborted. */
  calledAt: number;
  settledAt: number;
  abortedAt?: number;
}

export interface Expected {
  /** The call answered: by this leaf, with its scripted text. */
  answer?: { by: string; finishReason?: FinishReason };
  /** The call failed with this code. */
  error?: {
    code: ErrorCode;
    /** The code of the failure under a StreamInterruptedError. */
    cause?: ErrorCode;
    /** The stream yielded a strict, non-empty prefix of this leaf's reply before failing. */
    prefixOf?: string;
    /** An AllClientsFailedError's skipped clients. */
    openCircuits?: string[];
  };
  /** This call's attempts, in order. */
  attempts: AttemptSpec[];
  /** Requests each leaf has received so far (all calls of the row), checked again after a quiet wait. */
  requests: Record<string, number>;
  /** How many of each leaf's requests the client closed before the answer was complete. */
  closed?: Record<string, number>;
  /** Breaker events so far (all calls of the row), in this order among any others. */
  breakerEvents?: BreakerEvent[];
  timing?: (seen: Seen) => void;
}

export interface BreakerEvent {
  client: string;
  from: 'closed' | 'open' | 'half_open';
  to: 'closed' | 'open' | 'half_open';
}

export interface Step {
  /** Waits this long before the call (a cooldown running out). */
  waitBeforeMs?: number;
  abort?: CallerAbort;
  expect: Expected;
}

export interface FailureRow {
  id: string;
  title: string;
  modes: readonly Mode[];
  /** The row's clients for a vendor, or why the vendor cannot have this fault. */
  setup(vendor: VendorName): RowSetup | string;
  steps: Step[];
}

/** Each leaf's own answer, so the caller's text tells who answered. */
export function answerOf(client: string): string {
  return `Answer from ${client}: the quick brown fox jumps over the lazy dog.`;
}

/** Parts of 4 characters: a stream that fails after 2 parts has yielded 8 characters of many. */
export const CHUNK_SIZE = 4;

/** Two retries 40 ms apart; a Retry-After past 1 s is not waited for. No jitter: delays are exact. */
export const QUICK: RetryPolicyConfig = {
  max_retries: 2,
  strategy: { type: 'constant_delay', delay_ms: 40 },
  jitter: 0,
  max_retry_after_ms: 1_000,
};
const ONE_RETRY: RetryPolicyConfig = { ...QUICK, max_retries: 1 };
/** A backoff long enough to abort in. */
const SLOW_BACKOFF: RetryPolicyConfig = { ...QUICK, strategy: { type: 'constant_delay', delay_ms: 1_500 } };

const STALL_TIMEOUT_MS = 250;

function faulty(client: string, sequence: Outcome[], extra: Partial<ModelScript> = {}): ModelScript {
  return { sequence, reply: { text: answerOf(client) }, chunkSize: CHUNK_SIZE, ...extra };
}

function times<T>(count: number, item: T): T[] {
  return Array.from({ length: count }, () => item);
}

const success = (client: string): AttemptSpec => ({ client, status: 'success' });

/** `count` failed attempts on one client: retries, then a give-up for `gaveUp`. */
function failures(client: string, count: number, code: AttemptSpec['code'], gaveUp: Attempt['gaveUp'] = 'max_retries'): AttemptSpec[] {
  return Array.from({ length: count }, (_, index) => ({ client, status: 'failure' as const, code, gaveUp: index === count - 1 ? gaveUp : null }));
}

/** Each retry came no sooner than the policy's delay after the attempt before it. */
function spacedBy(client: string, delayMs: number) {
  return (seen: Seen) => {
    const arrivals = seen.requests[client]!.map((request) => request.receivedAt);
    for (let index = 1; index < arrivals.length; index++) {
      expect(arrivals[index]! - arrivals[index - 1]!, `retry ${index} of ${client} came too soon`).toBeGreaterThanOrEqual(delayMs - 2);
    }
  };
}

/**
 * Every request of `client` was closed by reg, each no sooner than `timeoutMs` after its attempt could
 * have started (the call's start, then the close of the attempt before), and not long after it arrived.
 */
function closedAfter(client: string, timeoutMs: number) {
  return (seen: Seen) => {
    let attemptStartedNoSoonerThan = seen.calledAt;
    for (const request of seen.requests[client]!) {
      expect(request.clientClosedAt, `a request of ${client} was never closed`).toBeDefined();
      const closedAt = request.clientClosedAt!;
      expect(closedAt - attemptStartedNoSoonerThan, `${client} closed a request before its timeout`).toBeGreaterThanOrEqual(timeoutMs - 2);
      expect(closedAt - request.receivedAt, `${client} kept a request open far past its timeout`).toBeLessThan(timeoutMs + 3_000);
      attemptStartedNoSoonerThan = closedAt;
    }
  };
}

/** A retryable fault three times: A retries twice (40 ms apart), gives up, and B answers. */
function retriedThenFallback(input: {
  id: string;
  title: string;
  fault: (vendor: VendorName) => Outcome | string;
  code?: ErrorCode | ((vendor: VendorName) => ErrorCode);
  modes?: Mode[];
}): FailureRow {
  return {
    id: input.id,
    title: input.title,
    modes: input.modes ?? ['generate', 'stream'],
    setup(vendor) {
      const fault = input.fault(vendor);
      if (typeof fault === 'string') return fault;
      const faultCode = typeof input.code === 'function' ? input.code(vendor) : input.code;
      return { leaves: { A: { script: faulty('A', times(3, fault)), retry: QUICK }, B: {} }, faultCode };
    },
    steps: [
      {
        expect: {
          answer: { by: 'B' },
          attempts: [...failures('A', 3, FAULT_CODE), success('B')],
          requests: { A: 3, B: 1 },
          timing: spacedBy('A', 40),
        },
      },
    ],
  };
}

function status(code: number) {
  return (vendor: VendorName): Outcome | string => {
    const exists = statusExists(vendor, code);
    return exists === true ? { kind: 'status', status: code } : exists;
  };
}

/** A fault that is never retried: one attempt on A, then B answers. */
function notRetried(input: { id: string; title: string; fault: (vendor: VendorName) => Outcome | string; code: ErrorCode }): FailureRow {
  return {
    id: input.id,
    title: input.title,
    modes: ['generate', 'stream'],
    setup(vendor) {
      const fault = input.fault(vendor);
      if (typeof fault === 'string') return fault;
      return { leaves: { A: { script: faulty('A', times(3, fault)), retry: QUICK }, B: {} } };
    },
    steps: [
      {
        expect: {
          answer: { by: 'B' },
          attempts: [...failures('A', 1, input.code, 'not_retryable'), success('B')],
          requests: { A: 1, B: 1 },
        },
      },
    ],
  };
}

/** A stream fault after two content parts: the caller keeps what it got and gets StreamInterruptedError; B is never asked. */
function interrupted(input: {
  id: string;
  title: string;
  fault: (vendor: VendorName) => { fault: Outcome; code?: ErrorCode };
  http?: Record<string, number>;
  /** The code of the failure under the StreamInterruptedError, where the row decides it. */
  cause?: ErrorCode;
  /** The emulator sees reg close the request (reg gave up on it, rather than the upstream ending it). */
  closed?: boolean;
}): FailureRow {
  return {
    id: input.id,
    title: input.title,
    modes: ['stream'],
    setup(vendor) {
      const { fault, code } = input.fault(vendor);
      return { leaves: { A: { script: faulty('A', [fault]), retry: QUICK, http: input.http }, B: {} }, faultCode: code };
    },
    steps: [
      {
        expect: {
          error: { code: 'stream_interrupted', cause: input.cause, prefixOf: 'A' },
          attempts: [{ client: 'A', status: 'failure', code: input.cause ?? FAULT_CODE, gaveUp: 'committed' }],
          requests: { A: 1, B: 0 },
          closed: input.closed ? { A: 1 } : undefined,
        },
      },
    ],
  };
}

const beforeContent = (vendor: VendorName) => inBandError(vendor, 0);

export const FAILURE_TABLE: FailureRow[] = [
  {
    id: '429-retry-after',
    title: '429 with Retry-After within max_retry_after_ms: the retry waits at least that long, and the same client answers',
    modes: ['generate', 'stream'],
    setup: (vendor) => ({ leaves: { A: { script: faulty('A', [rateLimited(vendor, 400)]), retry: QUICK }, B: {} } }),
    steps: [
      {
        expect: {
          answer: { by: 'A' },
          attempts: [{ client: 'A', status: 'failure', code: 'rate_limited', retryAfterMs: 400, gaveUp: null }, success('A')],
          requests: { A: 2, B: 0 },
          timing: spacedBy('A', 400),
        },
      },
    ],
  },
  {
    id: '429-retry-after-too-long',
    title: '429 with Retry-After past max_retry_after_ms: no wait, B answers at once',
    modes: ['generate', 'stream'],
    setup: (vendor) => ({ leaves: { A: { script: faulty('A', [rateLimited(vendor, 30_000)]), retry: QUICK }, B: {} } }),
    steps: [
      {
        expect: {
          answer: { by: 'B' },
          attempts: [{ client: 'A', status: 'failure', code: 'rate_limited', retryAfterMs: 30_000, gaveUp: 'retry_after_too_long' }, success('B')],
          requests: { A: 1, B: 1 },
          timing: (seen) => {
            // Asked to wait 30 s: anything near that would be a sleep; a generous bound for a loaded machine.
            expect(seen.requests.B![0]!.receivedAt - seen.requests.A![0]!.receivedAt).toBeLessThan(1_000);
          },
        },
      },
    ],
  },
  retriedThenFallback({ id: '500', title: '500: retried per policy, then B', fault: status(500), code: 'server' }),
  retriedThenFallback({ id: '502', title: '502: retried per policy, then B', fault: status(502), code: 'server' }),
  retriedThenFallback({ id: '503', title: '503: retried per policy, then B', fault: status(503), code: 'overloaded' }),
  retriedThenFallback({
    id: '504',
    title: '504: retried per policy, then B',
    fault: status(504),
    // Bedrock's errors are classified by exception name; a 504 arrives as InternalServerException.
    code: (vendor) => (vendor === 'bedrock' ? 'server' : 'timeout'),
  }),
  retriedThenFallback({ id: '529', title: '529 overloaded: retried per policy, then B', fault: status(529), code: 'overloaded' }),
  {
    id: 'connection-refused',
    title: 'connection refused (nothing listens): retried per policy, then B',
    modes: ['generate', 'stream'],
    setup: () => ({ leaves: { A: { refused: true, retry: QUICK }, B: {} } }),
    steps: [{ expect: { answer: { by: 'B' }, attempts: [...failures('A', 3, 'connection'), success('B')], requests: { A: 0, B: 1 } } }],
  },
  retriedThenFallback({ id: 'reset', title: 'connection reset before headers: retried per policy, then B', fault: () => ({ kind: 'reset' }), code: 'connection' }),
  {
    id: 'hang',
    title: 'hang before headers: request_timeout_ms ends each attempt and closes it, then B',
    modes: ['generate', 'stream'],
    setup: () => ({ leaves: { A: { script: faulty('A', times(2, { kind: 'hang' })), retry: ONE_RETRY, http: { request_timeout_ms: STALL_TIMEOUT_MS } }, B: {} } }),
    steps: [
      {
        expect: {
          answer: { by: 'B' },
          attempts: [...failures('A', 2, 'timeout'), success('B')],
          requests: { A: 2, B: 1 },
          closed: { A: 2, B: 0 },
          timing: closedAfter('A', STALL_TIMEOUT_MS),
        },
      },
    ],
  },
  {
    id: 'slow-first-token',
    title: 'slow first token: time_to_first_token_timeout_ms ends each attempt and closes it, then B',
    modes: ['stream'],
    setup: () => ({
      leaves: {
        A: { script: faulty('A', times(2, { kind: 'slow-first-token', delayMs: 10_000 })), retry: ONE_RETRY, http: { time_to_first_token_timeout_ms: STALL_TIMEOUT_MS } },
        B: {},
      },
    }),
    steps: [
      {
        expect: {
          answer: { by: 'B' },
          attempts: [...failures('A', 2, 'timeout'), success('B')],
          requests: { A: 2, B: 1 },
          closed: { A: 2, B: 0 },
          timing: closedAfter('A', STALL_TIMEOUT_MS),
        },
      },
    ],
  },
  {
    id: 'stall-headers',
    title: 'a non-streamed answer whose body never comes: request_timeout_ms ends each attempt, then B',
    modes: ['generate'],
    setup: () => ({ leaves: { A: { script: faulty('A', times(2, { kind: 'stall', afterParts: 0 })), retry: ONE_RETRY, http: { request_timeout_ms: STALL_TIMEOUT_MS } }, B: {} } }),
    steps: [
      {
        expect: {
          answer: { by: 'B' },
          attempts: [...failures('A', 2, 'timeout'), success('B')],
          requests: { A: 2, B: 1 },
          closed: { A: 2, B: 0 },
          timing: closedAfter('A', STALL_TIMEOUT_MS),
        },
      },
    ],
  },
  interrupted({
    id: 'stall-mid-stream',
    title: 'a stream that stalls after content: idle_timeout_ms, then StreamInterruptedError with the text so far; B never asked',
    fault: () => ({ fault: { kind: 'stall', afterParts: 2 } }),
    http: { idle_timeout_ms: STALL_TIMEOUT_MS },
    cause: 'timeout',
    closed: true,
  }),
  interrupted({ id: 'cut-after-content', title: 'a stream cut after content: StreamInterruptedError with a strict prefix; B never asked', fault: () => ({ fault: { kind: 'cut', afterParts: 2 } }) }),
  retriedThenFallback({ id: 'cut-before-content', title: 'a stream cut before content: retried per policy, then B', fault: () => ({ kind: 'cut', afterParts: 0 }), modes: ['stream'] }),
  retriedThenFallback({ id: 'malformed-before-content', title: 'malformed stream data before content: retried per policy, then B', fault: () => ({ kind: 'malformed', afterParts: 0 }), modes: ['stream'] }),
  interrupted({ id: 'malformed-after-content', title: 'malformed stream data after content: StreamInterruptedError with a strict prefix', fault: () => ({ fault: { kind: 'malformed', afterParts: 2 } }) }),
  {
    id: 'in-band-error-before-content',
    title: "the vendor's in-band stream error before content: retried per policy, then B",
    modes: ['stream'],
    setup: (vendor) => {
      const { fault, code } = beforeContent(vendor);
      return { leaves: { A: { script: faulty('A', times(3, fault)), retry: QUICK }, B: {} }, faultCode: code };
    },
    steps: [{ expect: { answer: { by: 'B' }, attempts: [...failures('A', 3, FAULT_CODE), success('B')], requests: { A: 3, B: 1 }, timing: spacedBy('A', 40) } }],
  },
  interrupted({ id: 'in-band-error-after-content', title: "the vendor's in-band stream error after content: StreamInterruptedError with a strict prefix", fault: (vendor) => inBandError(vendor, 2) }),
  notRetried({ id: '401', title: '401: not retried, B answers', fault: () => ({ kind: 'status', status: 401 }), code: 'auth' }),
  notRetried({ id: 'context-length', title: '400 context length: not retried, B answers', fault: contextLength, code: 'context_length' }),
  notRetried({ id: 'content-filter-error', title: "the vendor's content-filter error: not retried, B answers", fault: contentFilterError, code: 'content_filter' }),
  notRetried({ id: 'quota', title: 'quota exhausted: not retried, B answers', fault: quotaExhausted, code: 'quota' }),
  {
    id: 'content-filter-finish',
    title: "a content-filter finish reason on a 200 is an answer with finishReason 'content-filter'",
    modes: ['generate', 'stream'],
    setup: () => ({
      leaves: { A: { script: { reply: { text: answerOf('A'), finishReason: 'content-filter' }, chunkSize: CHUNK_SIZE }, retry: QUICK }, B: {} },
    }),
    steps: [{ expect: { answer: { by: 'A', finishReason: 'content-filter' }, attempts: [success('A')], requests: { A: 1, B: 0 } } }],
  },
  {
    id: 'abort-before-headers',
    title: 'caller abort before headers: aborted, the request closed, nothing more upstream',
    modes: ['generate', 'stream'],
    setup: () => ({ leaves: { A: { script: faulty('A', [{ kind: 'hang' }]), retry: QUICK }, B: {} } }),
    steps: [
      {
        abort: 'before-headers',
        expect: { error: { code: 'aborted' }, attempts: [{ client: 'A', status: 'failure', code: 'aborted', gaveUp: null }], requests: { A: 1, B: 0 }, closed: { A: 1 } },
      },
    ],
  },
  {
    id: 'abort-in-backoff',
    title: "caller abort during a retry's backoff: aborted at once, no retry, no fallback",
    modes: ['generate', 'stream'],
    setup: () => ({ leaves: { A: { script: faulty('A', times(3, { kind: 'status', status: 503 })), retry: SLOW_BACKOFF }, B: {} } }),
    steps: [
      {
        abort: 'in-backoff',
        expect: {
          error: { code: 'aborted' },
          attempts: [{ client: 'A', status: 'failure', code: 'overloaded', gaveUp: null }],
          requests: { A: 1, B: 0 },
          timing: (seen) => {
            // The backoff is 1.5 s: ending well before it means the sleep was cut short.
            expect(seen.settledAt - seen.abortedAt!).toBeLessThan(750);
          },
        },
      },
    ],
  },
  {
    id: 'abort-mid-stream',
    title: 'caller abort mid-stream after content: aborted, the text so far a prefix, the request closed',
    modes: ['stream'],
    setup: () => ({ leaves: { A: { script: faulty('A', [{ kind: 'drip', intervalMs: 100 }]), retry: QUICK }, B: {} } }),
    steps: [
      {
        abort: 'mid-stream',
        expect: {
          error: { code: 'aborted', prefixOf: 'A' },
          attempts: [{ client: 'A', status: 'failure', code: 'aborted' }],
          requests: { A: 1, B: 0 },
          closed: { A: 1 },
        },
      },
    ],
  },
];

const skipped = (client: string, code: ErrorCode): AttemptSpec => ({ client, status: 'skipped', code });
const opened = (client: string): BreakerEvent => ({ client, from: 'closed', to: 'open' });

/**
 * Short enough to wait out in a test, long enough that the calls meant to land inside it do so on a
 * loaded machine; the wait meant to outlast it adds a margin.
 */
const COOLDOWN_MS = 1_000;
const PAST_COOLDOWN_MS = 1_150;

/** A breaker that opens after `threshold` consecutive failed attempts and stays open `cooldownMs`. */
function breaker(threshold: number, cooldownMs: number): Record<string, unknown> {
  return { circuit_breaker: { failure_threshold: threshold, cooldown_ms: cooldownMs } };
}

/** Circuit breakers and 429 cooldowns (DESIGN.md §6): several calls per row, on one state store. */
export const BREAKER_TABLE: FailureRow[] = [
  {
    id: 'breaker-opens',
    title: 'after failure_threshold consecutive failed attempts A opens; the next call skips A without a request',
    modes: ['generate', 'stream'],
    setup: () => ({ leaves: { A: { script: faulty('A', times(3, { kind: 'status', status: 500 })), retry: QUICK, options: breaker(3, 60_000) }, B: {} } }),
    steps: [
      {
        expect: {
          answer: { by: 'B' },
          // The third failure opens the breaker: no retry is left to spend anyway, and the give-up says why.
          attempts: [...failures('A', 3, 'server', 'circuit_open'), success('B')],
          requests: { A: 3, B: 1 },
          breakerEvents: [opened('A')],
        },
      },
      {
        expect: { answer: { by: 'B' }, attempts: [skipped('A', 'circuit_open'), success('B')], requests: { A: 3, B: 2 } },
      },
    ],
  },
  {
    id: 'breaker-half-open',
    title: 'after cooldown_ms one probe goes to A; its success closes the breaker and A answers again',
    modes: ['generate', 'stream'],
    setup: () => ({ leaves: { A: { script: faulty('A', times(2, { kind: 'status', status: 500 })), options: breaker(2, COOLDOWN_MS) }, B: {} } }),
    steps: [
      { expect: { answer: { by: 'B' }, attempts: [...failures('A', 1, 'server', 'max_retries'), success('B')], requests: { A: 1, B: 1 } } },
      {
        expect: {
          answer: { by: 'B' },
          attempts: [...failures('A', 1, 'server', 'circuit_open'), success('B')],
          requests: { A: 2, B: 2 },
          breakerEvents: [opened('A')],
        },
      },
      { expect: { answer: { by: 'B' }, attempts: [skipped('A', 'circuit_open'), success('B')], requests: { A: 2, B: 3 } } },
      {
        waitBeforeMs: PAST_COOLDOWN_MS,
        expect: {
          answer: { by: 'A' },
          attempts: [success('A')],
          requests: { A: 3, B: 3 },
          breakerEvents: [opened('A'), { client: 'A', from: 'half_open', to: 'closed' }],
        },
      },
      { expect: { answer: { by: 'A' }, attempts: [success('A')], requests: { A: 4, B: 3 } } },
    ],
  },
  {
    id: 'breaker-probe-fails',
    title: 'a probe that fails opens the breaker again for another cooldown',
    modes: ['generate'],
    setup: () => ({ leaves: { A: { script: faulty('A', times(2, { kind: 'status', status: 503 })), options: breaker(1, COOLDOWN_MS) }, B: {} } }),
    steps: [
      { expect: { answer: { by: 'B' }, attempts: [...failures('A', 1, 'overloaded', 'circuit_open'), success('B')], requests: { A: 1, B: 1 } } },
      {
        waitBeforeMs: PAST_COOLDOWN_MS,
        expect: {
          answer: { by: 'B' },
          attempts: [...failures('A', 1, 'overloaded', 'circuit_open'), success('B')],
          requests: { A: 2, B: 2 },
          breakerEvents: [opened('A'), { client: 'A', from: 'half_open', to: 'open' }],
        },
      },
      { expect: { answer: { by: 'B' }, attempts: [skipped('A', 'circuit_open'), success('B')], requests: { A: 2, B: 3 } } },
    ],
  },
  {
    id: 'breaker-failure-rate',
    title: 'with failure_rate 0.5 over minimum_calls 4, alternating failures open the breaker (consecutive count off)',
    modes: ['generate'],
    setup: () => ({
      leaves: {
        A: {
          script: faulty('A', [{ kind: 'status', status: 500 }, 'ok', { kind: 'status', status: 500 }, 'ok']),
          options: { circuit_breaker: { failure_threshold: 0, failure_rate: 0.5, minimum_calls: 4, cooldown_ms: 60_000 } },
        },
        B: {},
      },
    }),
    steps: [
      { expect: { answer: { by: 'B' }, attempts: [...failures('A', 1, 'server', 'max_retries'), success('B')], requests: { A: 1, B: 1 } } },
      { expect: { answer: { by: 'A' }, attempts: [success('A')], requests: { A: 2, B: 1 } } },
      { expect: { answer: { by: 'B' }, attempts: [...failures('A', 1, 'server', 'max_retries'), success('B')], requests: { A: 3, B: 2 } } },
      // The fourth call answers, and with it 2 failures in 4 calls reach the rate.
      { expect: { answer: { by: 'A' }, attempts: [success('A')], requests: { A: 4, B: 2 }, breakerEvents: [opened('A')] } },
      { expect: { answer: { by: 'B' }, attempts: [skipped('A', 'circuit_open'), success('B')], requests: { A: 4, B: 3 } } },
    ],
  },
  {
    id: 'breaker-nowhere-left',
    title: 'with every member open, the call fails at once with AllClientsFailedError listing them in openCircuits',
    modes: ['generate', 'stream'],
    setup: () => ({
      leaves: {
        A: { script: faulty('A', [{ kind: 'status', status: 500 }]), options: breaker(1, 60_000) },
        B: { script: faulty('B', [{ kind: 'status', status: 500 }]), options: breaker(1, 60_000) },
      },
    }),
    steps: [
      {
        expect: {
          error: { code: 'all_failed', openCircuits: [] },
          attempts: [...failures('A', 1, 'server', 'circuit_open'), ...failures('B', 1, 'server', 'circuit_open')],
          requests: { A: 1, B: 1 },
          breakerEvents: [opened('A'), opened('B')],
        },
      },
      {
        expect: {
          error: { code: 'all_failed', openCircuits: ['A', 'B'] },
          attempts: [skipped('A', 'circuit_open'), skipped('B', 'circuit_open')],
          requests: { A: 1, B: 1 },
        },
      },
    ],
  },
  {
    id: '429-cooldown',
    title: "a 429's Retry-After cools A: the next call skips A (rate_limited, no request) and B answers",
    modes: ['generate', 'stream'],
    setup: (vendor) => ({ leaves: { A: { script: faulty('A', [rateLimited(vendor, 30_000)]), retry: QUICK }, B: {} } }),
    steps: [
      {
        expect: {
          answer: { by: 'B' },
          attempts: [{ client: 'A', status: 'failure', code: 'rate_limited', gaveUp: 'retry_after_too_long' }, success('B')],
          requests: { A: 1, B: 1 },
        },
      },
      { expect: { answer: { by: 'B' }, attempts: [skipped('A', 'rate_limited'), success('B')], requests: { A: 1, B: 2 } } },
    ],
  },
  {
    id: 'rate-limit-group',
    title: 'a rate_limit_group of three keys under round-robin: a 429 on one cools all three, and calls go to C without touching the others',
    modes: ['generate', 'stream'],
    setup: (vendor) => {
      const key = (script?: ModelScript): LeafSpec => ({ script, retry: QUICK, options: { rate_limit_group: 'one-account' } });
      return {
        leaves: { K1: key(faulty('K1', [rateLimited(vendor, 30_000)])), K2: key(), K3: key(), C: {} },
        strategies: [
          { name: 'Keys', provider: 'round-robin', strategy: ['K1', 'K2', 'K3'] },
          { name: 'F', provider: 'fallback', strategy: ['Keys', 'C'] },
        ],
      };
    },
    steps: [
      {
        expect: {
          answer: { by: 'C' },
          attempts: [{ client: 'K1', status: 'failure', code: 'rate_limited', gaveUp: 'retry_after_too_long' }, success('C')],
          requests: { K1: 1, K2: 0, K3: 0, C: 1 },
        },
      },
      {
        expect: {
          answer: { by: 'C' },
          attempts: [skipped('K2', 'rate_limited'), skipped('K3', 'rate_limited'), skipped('K1', 'rate_limited'), success('C')],
          requests: { K1: 1, K2: 0, K3: 0, C: 2 },
        },
      },
      {
        expect: {
          answer: { by: 'C' },
          attempts: [skipped('K3', 'rate_limited'), skipped('K1', 'rate_limited'), skipped('K2', 'rate_limited'), success('C')],
          requests: { K1: 1, K2: 0, K3: 0, C: 3 },
        },
      },
    ],
  },
  {
    id: 'rate-limit-group-default-cooldown',
    title: 'a 429 without Retry-After in a group cools the group for rate_limit_cooldown_ms, then the keys take calls again',
    modes: ['generate'],
    setup: () => {
      const key = (script?: ModelScript): LeafSpec => ({ script, options: { rate_limit_group: 'one-account', circuit_breaker: { rate_limit_cooldown_ms: COOLDOWN_MS } } });
      return {
        leaves: { K1: key(faulty('K1', [{ kind: 'status', status: 429 }])), K2: key(), K3: key(), C: {} },
        strategies: [
          { name: 'Keys', provider: 'round-robin', strategy: ['K1', 'K2', 'K3'] },
          { name: 'F', provider: 'fallback', strategy: ['Keys', 'C'] },
        ],
      };
    },
    steps: [
      { expect: { answer: { by: 'C' }, attempts: [{ client: 'K1', status: 'failure', code: 'rate_limited' }, success('C')], requests: { K1: 1, K2: 0, K3: 0, C: 1 } } },
      {
        expect: {
          answer: { by: 'C' },
          attempts: [skipped('K2', 'rate_limited'), skipped('K3', 'rate_limited'), skipped('K1', 'rate_limited'), success('C')],
          requests: { K1: 1, K2: 0, K3: 0, C: 2 },
        },
      },
      { waitBeforeMs: PAST_COOLDOWN_MS, expect: { answer: { by: 'K3' }, attempts: [success('K3')], requests: { K1: 1, K2: 0, K3: 1, C: 2 } } },
    ],
  },
];

/** How long after a call the row waits to see that nothing more reaches any upstream. */
export const QUIET_AFTER_MS = 300;
/** For abort-in-backoff: past the moment the retry would have been sent. */
export const BACKOFF_QUIET_MS = 1_800;
