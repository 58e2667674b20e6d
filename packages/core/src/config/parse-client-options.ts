import type { ConfigIssue } from '../errors/errors.js';
import { DEFAULT_RETRY_BUDGET, type RetryBudget } from '../retry/retry-budget.js';
import type { HttpTimeouts } from '../spec.js';
import { isRecord, readNumber, rejectUnknownKeys } from './read-values.js';

/** Options of a leaf client that the registry itself consumes; the rest go to the provider. */
export const CORE_OPTION_KEYS = ['http', 'retry_budget'] as const;
/** Options this version reserves for what is coming (breakers, shared quotas); refused rather than sent upstream. */
const RESERVED_OPTION_KEYS = ['circuit_breaker', 'rate_limit_group'] as const;

export interface ClientCoreOptions {
  http: HttpTimeouts;
  retryBudget: RetryBudget | undefined;
  providerOptions: Record<string, unknown>;
}

const HTTP_KEYS = {
  connect_timeout_ms: 'connectTimeoutMs',
  request_timeout_ms: 'requestTimeoutMs',
  time_to_first_token_timeout_ms: 'timeToFirstTokenTimeoutMs',
  idle_timeout_ms: 'idleTimeoutMs',
} as const;

export function splitClientOptions(raw: Record<string, unknown>, path: string, issues: ConfigIssue[]): ClientCoreOptions {
  const providerOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(CORE_OPTION_KEYS as readonly string[]).includes(key)) providerOptions[key] = value;
  }
  for (const key of RESERVED_OPTION_KEYS) {
    if (key in raw) issues.push({ path: `${path}.${key}`, message: 'is not supported by this version of @reg/core' });
  }
  return { http: parseHttp(raw.http, `${path}.http`, issues), retryBudget: parseRetryBudget(raw.retry_budget, `${path}.retry_budget`, issues), providerOptions };
}

function parseHttp(raw: unknown, path: string, issues: ConfigIssue[]): HttpTimeouts {
  const http: HttpTimeouts = {};
  if (raw === undefined || raw === null) return http;
  if (!isRecord(raw)) {
    issues.push({ path, message: `must be an object with ${Object.keys(HTTP_KEYS).join(', ')}` });
    return http;
  }
  rejectUnknownKeys(raw, Object.keys(HTTP_KEYS), path, issues);
  for (const [key, field] of Object.entries(HTTP_KEYS)) {
    const value = readNumber(raw, key, path, issues, { min: 0, exclusiveMin: true });
    if (value !== undefined) http[field] = value;
  }
  return http;
}

function parseRetryBudget(raw: unknown, path: string, issues: ConfigIssue[]): RetryBudget | undefined {
  if (raw === undefined || raw === null || raw === true) return DEFAULT_RETRY_BUDGET;
  if (raw === false) return undefined;
  if (!isRecord(raw)) {
    issues.push({ path, message: 'must be false (off) or an object with capacity, retry_cost, timeout_retry_cost, success_refund' });
    return DEFAULT_RETRY_BUDGET;
  }
  rejectUnknownKeys(raw, ['capacity', 'retry_cost', 'timeout_retry_cost', 'success_refund'], path, issues);
  return {
    capacity: readNumber(raw, 'capacity', path, issues, { min: 0, exclusiveMin: true }) ?? DEFAULT_RETRY_BUDGET.capacity,
    retryCost: readNumber(raw, 'retry_cost', path, issues, { min: 0 }) ?? DEFAULT_RETRY_BUDGET.retryCost,
    timeoutRetryCost: readNumber(raw, 'timeout_retry_cost', path, issues, { min: 0 }) ?? DEFAULT_RETRY_BUDGET.timeoutRetryCost,
    successRefund: readNumber(raw, 'success_refund', path, issues, { min: 0 }) ?? DEFAULT_RETRY_BUDGET.successRefund,
  };
}
