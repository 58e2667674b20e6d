import type { ConfigIssue } from '../errors/errors.js';
import { DEFAULT_JITTER, DEFAULT_MAX_RETRY_AFTER_MS, type RetryPolicy } from '../retry/retry-policy.js';
import { isRecord, readNumber, rejectUnknownKeys } from './read-values.js';

/** More retries than this is a mistake, not a policy. */
export const MAX_RETRIES_LIMIT = 100;

/** Parses a retry policy from its config form; problems go to `issues` with their paths. */
export function parseRetryPolicy(raw: unknown, path: string, issues: ConfigIssue[]): RetryPolicy | undefined {
  if (!isRecord(raw)) {
    issues.push({ path, message: 'must be an object with max_retries and an optional strategy' });
    return undefined;
  }
  const before = issues.length;
  rejectUnknownKeys(raw, ['max_retries', 'strategy', 'jitter', 'max_retry_after_ms'], path, issues);
  const maxRetries = readNumber(raw, 'max_retries', path, issues, { integer: true, min: 0, max: MAX_RETRIES_LIMIT, required: true });
  const jitter = readNumber(raw, 'jitter', path, issues, { min: 0, max: 1 }) ?? DEFAULT_JITTER;
  const maxRetryAfterMs = readNumber(raw, 'max_retry_after_ms', path, issues, { min: 0 }) ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const strategyPath = `${path}.strategy`;
  const strategy = raw.strategy ?? { type: 'constant_delay' };
  let parsed: RetryPolicy['strategy'] | undefined;
  if (!isRecord(strategy)) {
    issues.push({ path: strategyPath, message: 'must be an object with a type' });
  } else if (strategy.type === 'constant_delay') {
    rejectUnknownKeys(strategy, ['type', 'delay_ms'], strategyPath, issues);
    parsed = { type: 'constant_delay', delayMs: readNumber(strategy, 'delay_ms', strategyPath, issues, { min: 0 }) ?? 200 };
  } else if (strategy.type === 'exponential_backoff') {
    rejectUnknownKeys(strategy, ['type', 'delay_ms', 'multiplier', 'max_delay_ms'], strategyPath, issues);
    const delayMs = readNumber(strategy, 'delay_ms', strategyPath, issues, { min: 0 }) ?? 200;
    const multiplier = readNumber(strategy, 'multiplier', strategyPath, issues, { min: 1 }) ?? 1.5;
    const maxDelayMs = readNumber(strategy, 'max_delay_ms', strategyPath, issues, { min: 0 }) ?? 10_000;
    parsed = { type: 'exponential_backoff', delayMs, multiplier, maxDelayMs };
  } else {
    issues.push({ path: `${strategyPath}.type`, message: "must be 'constant_delay' or 'exponential_backoff'" });
  }
  if (issues.length > before || parsed === undefined || maxRetries === undefined) return undefined;
  return { maxRetries, strategy: parsed, jitter, maxRetryAfterMs };
}
