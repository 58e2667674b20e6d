/** A retry policy in reg's runtime form (the config spells these in snake_case). */
export interface RetryPolicy {
  /** Extra attempts after the first. */
  maxRetries: number;
  strategy: ConstantDelay | ExponentialBackoff;
  /** Each delay is lowered by a random share of up to this much (0..1); default 0.2. */
  jitter: number;
  /** A vendor asking to wait longer than this makes the client give up at once; default 60 s. */
  maxRetryAfterMs: number;
}

export interface ConstantDelay {
  type: 'constant_delay';
  delayMs: number;
}

export interface ExponentialBackoff {
  type: 'exponential_backoff';
  delayMs: number;
  multiplier: number;
  maxDelayMs: number;
}

export const DEFAULT_JITTER = 0.2;
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** BAML's DefaultRetry: 3 retries, exponential from 200 ms, x1.5, at most 10 s. */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  maxRetries: 3,
  strategy: Object.freeze({ type: 'exponential_backoff', delayMs: 200, multiplier: 1.5, maxDelayMs: 10_000 }),
  jitter: DEFAULT_JITTER,
  maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
}) as RetryPolicy;

/** A client without a retry policy makes one attempt. */
export const NO_RETRY: RetryPolicy = Object.freeze({
  maxRetries: 0,
  strategy: Object.freeze({ type: 'constant_delay', delayMs: 0 }),
  jitter: 0,
  maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
}) as RetryPolicy;

export const BUILT_IN_RETRY_POLICIES: Readonly<Record<string, RetryPolicy>> = Object.freeze({ DefaultRetry: DEFAULT_RETRY });

/**
 * The delay before retry `retry` (0 for the first retry): `min(max, delay * multiplier^retry)`,
 * lowered by up to `jitter` of itself so that clients spread out, never to zero.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const { strategy } = policy;
  const base =
    strategy.type === 'constant_delay'
      ? strategy.delayMs
      : Math.min(strategy.maxDelayMs, strategy.delayMs * strategy.multiplier ** retry);
  const jitter = Math.min(Math.max(policy.jitter, 0), 0.99);
  return base * (1 - jitter * random());
}
