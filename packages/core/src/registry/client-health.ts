import type { ClientBreaker } from '../config/parse-client-options.js';
import { ClientSkippedError } from '../errors/errors.js';
import { RegError } from '../errors/reg-error.js';
import { acquireRetry, refundRetry, type RetryBudget } from '../retry/retry-budget.js';
import type { CallScope } from '../spec.js';
import { ADMITTED, type Admission, type BreakerChange, type BreakerOutcome } from '../state/breaker.js';

/** A 429's wait, and when it ends in wall time. */
export interface Cooldown {
  ms: number;
  untilMs: number;
}

/**
 * One leaf client's health, kept in the call's StateStore: its circuit breaker, its 429 cooldown
 * (its own, or its rate-limit group's) and its retry budget. The retry loop asks it before each
 * attempt and tells it how each ended; it never makes a request itself. A store that fails lets
 * calls through: health is advice, never a reason for a call to fail.
 */
export class ClientHealth {
  readonly #client: string;
  readonly #breaker: ClientBreaker | undefined;
  readonly #budget: RetryBudget | undefined;
  readonly #breakerKey: string;
  /** The key a 429 cools: the client's own, or its rate-limit group's. */
  readonly #cooldownKeys: readonly string[];

  constructor(options: { client: string; breaker: ClientBreaker | undefined; retryBudget: RetryBudget | undefined }) {
    this.#client = options.client;
    this.#breaker = options.breaker;
    this.#budget = options.retryBudget;
    this.#breakerKey = `breaker:${options.client}`;
    const group = options.breaker?.rateLimitGroup;
    this.#cooldownKeys = [group === undefined ? `cooldown:${options.client}` : `cooldown-group:${group}`];
  }

  /** Whether this attempt may go: not while the breaker is open or the client cools down. */
  admit(scope: CallScope): Admission | Promise<Admission> {
    const breaker = this.#breaker;
    if (!breaker) return ADMITTED;
    try {
      const admission = scope.store.admit(this.#breakerKey, this.#cooldownKeys, Date.now(), breaker.settings);
      return admission instanceof Promise ? admission.catch(() => ADMITTED) : admission;
    } catch {
      return ADMITTED;
    }
  }

  /** The error that says why the store refused an attempt (no request was made). */
  skipped(model: string, provider: string, refused: Extract<Admission, { admitted: false }>): ClientSkippedError {
    const who = { client: this.#client, provider, model };
    return refused.reason === 'open'
      ? new ClientSkippedError({ ...who, reason: 'open', until: refused.untilMs })
      : new ClientSkippedError({ ...who, reason: 'cooldown', until: refused.untilMs, group: this.#breaker?.rateLimitGroup });
  }

  /** A 429 cools the client (or its group) for its Retry-After; returns the wait that asks for. */
  coolDown(scope: CallScope, error: RegError): Cooldown | undefined {
    const breaker = this.#breaker;
    if (!breaker || error.code !== 'rate_limited' || error.status !== 429) return undefined;
    const ms = error.retryAfterMs ?? (breaker.rateLimitGroup === undefined ? undefined : breaker.rateLimitCooldownMs);
    if (ms === undefined || ms <= 0) return undefined;
    const untilMs = Date.now() + ms;
    try {
      const done = scope.store.coolDown(this.#cooldownKeys[0]!, untilMs);
      if (done instanceof Promise) done.catch(() => undefined);
    } catch {
      // A store that fails only loses the cooldown; this client's own retry still waits.
    }
    return { ms, untilMs };
  }

  /** Counts an attempt's outcome in the breaker; returns (or resolves to) the state change, emitting `breaker`. */
  count(scope: CallScope, outcome: BreakerOutcome, probe: boolean): BreakerChange | undefined | Promise<BreakerChange | undefined> {
    const breaker = this.#breaker;
    if (!breaker) return undefined;
    let change: BreakerChange | undefined | Promise<BreakerChange | undefined>;
    try {
      change = scope.store.record(this.#breakerKey, outcome, probe, Date.now(), breaker.settings);
    } catch {
      return undefined;
    }
    if (!(change instanceof Promise)) return this.#changed(scope, change);
    return change.then(
      (answer) => this.#changed(scope, answer),
      () => undefined,
    );
  }

  /** Takes a retry's cost from the budget; false when the budget is spent (true when there is none). */
  async acquireRetry(scope: CallScope, afterTimeout: boolean): Promise<boolean> {
    const budget = this.#budget;
    return !budget || acquireRetry(scope.store, this.#client, budget, afterTimeout);
  }

  /** After a success, gives back to the budget (`retries`: how many retries the success took). */
  refund(scope: CallScope, retries: number): void {
    const budget = this.#budget;
    if (!budget) return;
    const lastError = retries > 0 ? scope.attempts.at(-2) : undefined;
    refundRetry(scope.store, this.#client, budget, retries, lastError?.code === 'timeout');
  }

  #changed(scope: CallScope, change: BreakerChange | undefined): BreakerChange | undefined {
    if (change && scope.events.has('breaker')) scope.events.emit('breaker', { call: scope.id, client: this.#client, from: change.from, to: change.to });
    return change;
  }
}

/**
 * What an attempt's failure says about the upstream's health: failures of the request itself
 * (invalid, too long, filtered) show a working upstream; the caller's abort, and a 429 that a
 * cooldown already handles, say nothing.
 */
export function breakerOutcome(error: RegError, cooled = false): BreakerOutcome {
  switch (error.code) {
    case 'aborted':
      return 'neutral';
    case 'invalid_request':
    case 'context_length':
    case 'content_filter':
      return 'success';
    case 'rate_limited':
      return cooled ? 'neutral' : 'failure';
    case 'stream_interrupted':
      return error.cause && RegError.isInstance(error.cause) ? breakerOutcome(error.cause) : 'failure';
    default:
      return 'failure';
  }
}
