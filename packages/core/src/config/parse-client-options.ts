import type { ConfigIssue } from '../errors/errors.js';
import { DEFAULT_RETRY_BUDGET, type RetryBudget } from '../retry/retry-budget.js';
import { DEFAULT_BREAKER_SETTINGS, type BreakerSettings } from '../state/breaker.js';
import type { HttpTimeouts } from '../spec.js';
import { isRecord, readNumber, rejectUnknownKeys } from './read-values.js';

/** Options of a leaf client that the registry itself consumes; the rest go to the provider. */
export const CORE_OPTION_KEYS = ['http', 'retry_budget', 'circuit_breaker', 'rate_limit_group'] as const;

/** How a leaf client is cut off when its upstream fails or rate-limits it. */
export interface ClientBreaker {
  settings: BreakerSettings;
  /** Clients that share one upstream quota: a 429 on one cools them all. */
  rateLimitGroup: string | undefined;
  /** How long a 429 without Retry-After cools a rate-limit group. */
  rateLimitCooldownMs: number;
}

export const DEFAULT_RATE_LIMIT_COOLDOWN_MS = 1000;

export interface ClientCoreOptions {
  http: HttpTimeouts;
  retryBudget: RetryBudget | undefined;
  /** Undefined when `circuit_breaker: false`. */
  breaker: ClientBreaker | undefined;
  providerOptions: Record<string, unknown>;
}

const BREAKER_KEYS = ['failure_threshold', 'failure_rate', 'minimum_calls', 'window_ms', 'cooldown_ms', 'half_open_probes', 'rate_limit_cooldown_ms'];

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
  return {
    http: parseHttp(raw.http, `${path}.http`, issues),
    retryBudget: parseRetryBudget(raw.retry_budget, `${path}.retry_budget`, issues),
    breaker: parseBreaker(raw.circuit_breaker, raw.rate_limit_group, path, issues),
    providerOptions,
  };
}

let defaultBreaker: ClientBreaker | undefined;

function parseBreaker(raw: unknown, group: unknown, path: string, issues: ConfigIssue[]): ClientBreaker | undefined {
  if (group !== undefined && group !== null && !(typeof group === 'string' && group.trim() !== '')) {
    issues.push({ path: `${path}.rate_limit_group`, message: 'must be a name shared by the clients of one upstream quota' });
  }
  const rateLimitGroup = typeof group === 'string' && group.trim() !== '' ? group : undefined;
  if (raw === false) {
    if (rateLimitGroup !== undefined) {
      issues.push({ path: `${path}.rate_limit_group`, message: 'needs the circuit breaker, which circuit_breaker: false turns off' });
    }
    return undefined;
  }
  if (raw === undefined || raw === null || raw === true) {
    if (rateLimitGroup === undefined) {
      defaultBreaker ??= Object.freeze({ settings: DEFAULT_BREAKER_SETTINGS, rateLimitGroup: undefined, rateLimitCooldownMs: DEFAULT_RATE_LIMIT_COOLDOWN_MS });
      return defaultBreaker;
    }
    return { settings: DEFAULT_BREAKER_SETTINGS, rateLimitGroup, rateLimitCooldownMs: DEFAULT_RATE_LIMIT_COOLDOWN_MS };
  }
  const where = `${path}.circuit_breaker`;
  if (!isRecord(raw)) {
    issues.push({ path: where, message: `must be false (off) or an object with ${BREAKER_KEYS.join(', ')}` });
    return undefined;
  }
  rejectUnknownKeys(raw, BREAKER_KEYS, where, issues);
  const settings: BreakerSettings = {
    failureThreshold: readNumber(raw, 'failure_threshold', where, issues, { integer: true, min: 0 }) ?? DEFAULT_BREAKER_SETTINGS.failureThreshold,
    failureRate: readNumber(raw, 'failure_rate', where, issues, { min: 0, max: 1 }) ?? DEFAULT_BREAKER_SETTINGS.failureRate,
    minimumCalls: readNumber(raw, 'minimum_calls', where, issues, { integer: true, min: 1 }) ?? DEFAULT_BREAKER_SETTINGS.minimumCalls,
    windowMs: readNumber(raw, 'window_ms', where, issues, { min: 0, exclusiveMin: true }) ?? DEFAULT_BREAKER_SETTINGS.windowMs,
    cooldownMs: readNumber(raw, 'cooldown_ms', where, issues, { min: 0, exclusiveMin: true }) ?? DEFAULT_BREAKER_SETTINGS.cooldownMs,
    halfOpenProbes: readNumber(raw, 'half_open_probes', where, issues, { integer: true, min: 1 }) ?? DEFAULT_BREAKER_SETTINGS.halfOpenProbes,
  };
  const rateLimitCooldownMs = readNumber(raw, 'rate_limit_cooldown_ms', where, issues, { min: 0 }) ?? DEFAULT_RATE_LIMIT_COOLDOWN_MS;
  return { settings, rateLimitGroup, rateLimitCooldownMs };
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
