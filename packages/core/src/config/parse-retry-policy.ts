import type { ConfigIssue } from '../errors/errors.js';
import { DEFAULT_JITTER, DEFAULT_MAX_RETRY_AFTER_MS, type RetryPolicy } from '../retry/retry-policy.js';
import { isRecord, OptionReader } from './option-reader.js';

/** More retries than this is a mistake, not a policy. */
export const MAX_RETRIES_LIMIT = 100;

/** Parses a retry policy from its config form; problems go to `issues` with their paths. */
export function parseRetryPolicy(raw: unknown, path: string, issues: ConfigIssue[]): RetryPolicy | undefined {
  if (!isRecord(raw)) {
    issues.push({ path, message: 'must be an object with max_retries and an optional strategy' });
    return undefined;
  }
  const before = issues.length;
  const policy = new OptionReader(raw, path, issues);
  const maxRetries = policy.number('max_retries', { integer: true, min: 0, max: MAX_RETRIES_LIMIT, required: true });
  const jitter = policy.number('jitter', { min: 0, max: 1 }) ?? DEFAULT_JITTER;
  const maxRetryAfterMs = policy.number('max_retry_after_ms', { min: 0 }) ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const strategy = policy.raw('strategy')?.value ?? { type: 'constant_delay' };
  policy.rejectUnknown(['max_retries', 'strategy', 'jitter', 'max_retry_after_ms']);
  const strategyPath = `${path}.strategy`;
  let parsed: RetryPolicy['strategy'] | undefined;
  if (!isRecord(strategy)) {
    issues.push({ path: strategyPath, message: 'must be an object with a type' });
  } else if (strategy.type === 'constant_delay') {
    const constant = new OptionReader(strategy, strategyPath, issues);
    constant.raw('type');
    parsed = { type: 'constant_delay', delayMs: constant.number('delay_ms', { min: 0 }) ?? 200 };
    constant.rejectUnknown(['type', 'delay_ms']);
  } else if (strategy.type === 'exponential_backoff') {
    const exponential = new OptionReader(strategy, strategyPath, issues);
    exponential.raw('type');
    const delayMs = exponential.number('delay_ms', { min: 0 }) ?? 200;
    const multiplier = exponential.number('multiplier', { min: 1 }) ?? 1.5;
    const maxDelayMs = exponential.number('max_delay_ms', { min: 0 }) ?? 10_000;
    exponential.rejectUnknown(['type', 'delay_ms', 'multiplier', 'max_delay_ms']);
    parsed = { type: 'exponential_backoff', delayMs, multiplier, maxDelayMs };
  } else {
    issues.push({ path: `${strategyPath}.type`, message: "must be 'constant_delay' or 'exponential_backoff'" });
  }
  if (issues.length > before || parsed === undefined || maxRetries === undefined) return undefined;
  return { maxRetries, strategy: parsed, jitter, maxRetryAfterMs };
}
