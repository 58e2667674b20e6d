import {
  ADMITTED,
  admitBreaker,
  closedBreaker,
  recordOutcome,
  type Admission,
  type BreakerChange,
  type BreakerOutcome,
  type BreakerRecord,
  type BreakerSettings,
} from './breaker.js';

/**
 * Where the registry keeps state shared between calls: round-robin cursors, retry budgets,
 * circuit breakers and cooldowns. The in-memory store serves one process; a shared store (Redis)
 * serves several. Each method is atomic for its keys. Methods may answer synchronously; callers
 * accept either. Times are epoch milliseconds.
 */
export interface StateStore {
  /** Returns the counter's current value (0 at first) and adds one. */
  increment(key: string): Promise<number> | number;
  /** Token bucket starting full at `capacity`: takes `amount` if that many are left. */
  take(key: string, amount: number, capacity: number): Promise<boolean> | boolean;
  /** Puts `amount` back into the bucket, up to `capacity`. */
  give(key: string, amount: number, capacity: number): Promise<void> | void;
  /**
   * Whether a call may go to a client now: not while any of `cooldowns` cools, not while the
   * breaker `breaker` is open; once its cooldown is over it is half-open and lets up to
   * `settings.halfOpenProbes` calls through at a time, as probes.
   */
  admit(breaker: string, cooldowns: readonly string[], nowMs: number, settings: BreakerSettings): Promise<Admission> | Admission;
  /** Counts the outcome of an admitted call (`probe` as `admit` said); returns the breaker's state change. */
  record(
    breaker: string,
    outcome: BreakerOutcome,
    probe: boolean,
    nowMs: number,
    settings: BreakerSettings,
  ): Promise<BreakerChange | undefined> | BreakerChange | undefined;
  /** Cools `key` until `untilMs`, unless it already cools longer. */
  coolDown(key: string, untilMs: number): Promise<void> | void;
}

export class MemoryStateStore implements StateStore {
  readonly #counters = new Map<string, number>();
  readonly #buckets = new Map<string, number>();
  readonly #breakers = new Map<string, BreakerRecord>();
  readonly #cooldowns = new Map<string, number>();

  increment(key: string): number {
    const value = this.#counters.get(key) ?? 0;
    this.#counters.set(key, value + 1);
    return value;
  }

  take(key: string, amount: number, capacity: number): boolean {
    const tokens = this.#buckets.get(key) ?? capacity;
    if (tokens < amount) return false;
    this.#buckets.set(key, tokens - amount);
    return true;
  }

  give(key: string, amount: number, capacity: number): void {
    const tokens = this.#buckets.get(key);
    if (tokens === undefined) return; // a full bucket is not stored
    this.#buckets.set(key, Math.min(capacity, tokens + amount));
  }

  admit(breaker: string, cooldowns: readonly string[], nowMs: number, settings: BreakerSettings): Admission {
    if (this.#cooldowns.size > 0) {
      for (const key of cooldowns) {
        const until = this.#cooldowns.get(key);
        if (until === undefined) continue;
        if (nowMs < until) return { admitted: false, reason: 'cooldown', key, untilMs: until };
        this.#cooldowns.delete(key);
      }
    }
    const record = this.#breakers.get(breaker);
    return record === undefined ? ADMITTED : admitBreaker(record, breaker, nowMs, settings);
  }

  record(breaker: string, outcome: BreakerOutcome, probe: boolean, nowMs: number, settings: BreakerSettings): BreakerChange | undefined {
    let record = this.#breakers.get(breaker);
    if (record === undefined) {
      if (outcome === 'neutral') return undefined;
      this.#breakers.set(breaker, (record = closedBreaker(nowMs)));
    }
    return recordOutcome(record, outcome, probe, nowMs, settings);
  }

  coolDown(key: string, untilMs: number): void {
    const current = this.#cooldowns.get(key);
    if (current === undefined || current < untilMs) this.#cooldowns.set(key, untilMs);
  }
}

let processStore: MemoryStateStore | undefined;

/**
 * The store registries use unless given one: one per process, made on first use, so that
 * registries built per request still share round-robin cursors, retry budgets and breakers by
 * client name.
 */
export function defaultStateStore(): MemoryStateStore {
  processStore ??= new MemoryStateStore();
  return processStore;
}
