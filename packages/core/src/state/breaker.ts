/**
 * Circuit breaker and cooldown state, as plain records and pure transitions, so that every
 * StateStore (in memory, Redis) keeps the same semantics. Times are epoch milliseconds, because a
 * shared store compares times taken by several processes.
 */

/** A leaf client's breaker settings (`options.circuit_breaker`). */
export interface BreakerSettings {
  /** Consecutive failures that open the breaker; 0 turns this trigger off. */
  failureThreshold: number;
  /** Share of failed calls in one window (0 to 1) that opens the breaker; 0 turns this trigger off. */
  failureRate: number;
  /** Calls a window must hold before its failure rate counts. */
  minimumCalls: number;
  /** Length of the window the failure rate is counted over. */
  windowMs: number;
  /** How long the breaker stays open before it lets probes through. */
  cooldownMs: number;
  /** Calls let through at a time while half-open; one success closes the breaker, one failure reopens it. */
  halfOpenProbes: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = Object.freeze({
  failureThreshold: 5,
  failureRate: 0.5,
  minimumCalls: 20,
  windowMs: 60_000,
  cooldownMs: 30_000,
  halfOpenProbes: 1,
});

export type BreakerStateName = 'closed' | 'open' | 'half_open';

/** What the breaker counts an attempt as: `neutral` outcomes (the caller's abort) count for nothing. */
export type BreakerOutcome = 'success' | 'failure' | 'neutral';

/**
 * Whether a call may go to a client now. When it may not: `cooldown` (a 429's Retry-After on the
 * client or its rate-limit group, `key` says which) or `open` (the breaker is open, or half-open
 * with every probe slot taken), until `untilMs`.
 */
export type Admission =
  | { admitted: true; probe: boolean }
  | { admitted: false; reason: 'open' | 'cooldown'; key: string; untilMs: number };

export interface BreakerChange {
  from: BreakerStateName;
  to: BreakerStateName;
}

/** One breaker's stored state. A missing record is a closed breaker with empty counters. */
export interface BreakerRecord {
  state: BreakerStateName;
  /** Consecutive failures while closed. */
  consecutive: number;
  /** Start of the current failure-rate window, and its counts. */
  windowStart: number;
  calls: number;
  failures: number;
  /** While open: when probes may start. */
  openUntil: number;
  /** While half-open: probes in flight, and when their slots lapse (a probe whose process died). */
  probes: number;
  probesUntil: number;
}

export const ADMITTED: Admission = Object.freeze({ admitted: true, probe: false });
const ADMITTED_PROBE: Admission = Object.freeze({ admitted: true, probe: true });

export function closedBreaker(nowMs: number): BreakerRecord {
  return { state: 'closed', consecutive: 0, windowStart: nowMs, calls: 0, failures: 0, openUntil: 0, probes: 0, probesUntil: 0 };
}

/** Admission through one breaker (cooldowns are checked before this); mutates `record`. */
export function admitBreaker(record: BreakerRecord, key: string, nowMs: number, settings: BreakerSettings): Admission {
  if (record.state === 'closed') return ADMITTED;
  if (record.state === 'open') {
    if (nowMs < record.openUntil) return { admitted: false, reason: 'open', key, untilMs: record.openUntil };
    record.state = 'half_open';
    record.probes = 0;
  }
  if (record.probes > 0 && nowMs >= record.probesUntil) record.probes = 0;
  if (record.probes >= settings.halfOpenProbes) return { admitted: false, reason: 'open', key, untilMs: record.probesUntil };
  record.probes++;
  record.probesUntil = nowMs + settings.cooldownMs;
  return ADMITTED_PROBE;
}

/** Counts one admitted attempt's outcome; mutates `record` and returns the state change, if any. */
export function recordOutcome(
  record: BreakerRecord,
  outcome: BreakerOutcome,
  probe: boolean,
  nowMs: number,
  settings: BreakerSettings,
): BreakerChange | undefined {
  if (probe) {
    if (record.state !== 'half_open') return undefined;
    record.probes = Math.max(0, record.probes - 1);
    if (outcome === 'success') {
      Object.assign(record, closedBreaker(nowMs));
      return { from: 'half_open', to: 'closed' };
    }
    if (outcome === 'failure') {
      open(record, nowMs, settings);
      return { from: 'half_open', to: 'open' };
    }
    return undefined;
  }
  // An attempt admitted before the breaker opened tells nothing new about a breaker now open.
  if (record.state !== 'closed' || outcome === 'neutral') return undefined;
  if (nowMs - record.windowStart >= settings.windowMs) {
    record.windowStart = nowMs;
    record.calls = 0;
    record.failures = 0;
  }
  record.calls++;
  if (outcome === 'failure') {
    record.failures++;
    record.consecutive++;
  } else {
    record.consecutive = 0;
  }
  const tooMany = settings.failureThreshold > 0 && record.consecutive >= settings.failureThreshold;
  const tooOften = settings.failureRate > 0 && record.calls >= settings.minimumCalls && record.failures >= settings.failureRate * record.calls;
  if (!tooMany && !tooOften) return undefined;
  open(record, nowMs, settings);
  return { from: 'closed', to: 'open' };
}

function open(record: BreakerRecord, nowMs: number, settings: BreakerSettings): void {
  Object.assign(record, closedBreaker(nowMs), { state: 'open', openUntil: nowMs + settings.cooldownMs });
}
