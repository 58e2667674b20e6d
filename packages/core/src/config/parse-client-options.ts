import type { ConfigIssue } from '../errors/errors.js';
import { DEFAULT_RETRY_BUDGET, type RetryBudget } from '../retry/retry-budget.js';
import { DEFAULT_BREAKER_SETTINGS, type BreakerSettings } from '../state/breaker.js';
import type { HttpTimeouts } from '../spec.js';
import { isRecord, OptionReader } from './option-reader.js';

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
  const options = new OptionReader(raw, where, issues);
  const settings: BreakerSettings = {
    failureThreshold: options.number('failure_threshold', { integer: true, min: 0 }) ?? DEFAULT_BREAKER_SETTINGS.failureThreshold,
    failureRate: options.number('failure_rate', { min: 0, max: 1 }) ?? DEFAULT_BREAKER_SETTINGS.failureRate,
    minimumCalls: options.number('minimum_calls', { integer: true, min: 1 }) ?? DEFAULT_BREAKER_SETTINGS.minimumCalls,
    windowMs: options.number('window_ms', { min: 0, exclusiveMin: true }) ?? DEFAULT_BREAKER_SETTINGS.windowMs,
    cooldownMs: options.number('cooldown_ms', { min: 0, exclusiveMin: true }) ?? DEFAULT_BREAKER_SETTINGS.cooldownMs,
    halfOpenProbes: options.number('half_open_probes', { integer: true, min: 1 }) ?? DEFAULT_BREAKER_SETTINGS.halfOpenProbes,
  };
  const rateLimitCooldownMs = options.number('rate_limit_cooldown_ms', { min: 0 }) ?? DEFAULT_RATE_LIMIT_COOLDOWN_MS;
  options.rejectUnknown(BREAKER_KEYS);
  return { settings, rateLimitGroup, rateLimitCooldownMs };
}

function parseHttp(raw: unknown, path: string, issues: ConfigIssue[]): HttpTimeouts {
  const http: HttpTimeouts = {};
  if (raw === undefined || raw === null) return http;
  if (!isRecord(raw)) {
    issues.push({ path, message: `must be an object with ${Object.keys(HTTP_KEYS).join(', ')}` });
    return http;
  }
  const options = new OptionReader(raw, path, issues);
  for (const [key, field] of Object.entries(HTTP_KEYS)) {
    const value = options.number(key, { min: 0, exclusiveMin: true });
    if (value !== undefined) http[field] = value;
  }
  options.rejectUnknown(Object.keys(HTTP_KEYS));
  return http;
}

const BUDGET_KEYS = ['capacity', 'retry_cost', 'timeout_retry_cost', 'success_refund'];

function parseRetryBudget(raw: unknown, path: string, issues: ConfigIssue[]): RetryBudget | undefined {
  if (raw === undefined || raw === null || raw === true) return DEFAULT_RETRY_BUDGET;
  if (raw === false) return undefined;
  if (!isRecord(raw)) {
    issues.push({ path, message: `must be false (off) or an object with ${BUDGET_KEYS.join(', ')}` });
    return DEFAULT_RETRY_BUDGET;
  }
  const options = new OptionReader(raw, path, issues);
  const budget = {
    capacity: options.number('capacity', { min: 0, exclusiveMin: true }) ?? DEFAULT_RETRY_BUDGET.capacity,
    retryCost: options.number('retry_cost', { min: 0 }) ?? DEFAULT_RETRY_BUDGET.retryCost,
    timeoutRetryCost: options.number('timeout_retry_cost', { min: 0 }) ?? DEFAULT_RETRY_BUDGET.timeoutRetryCost,
    successRefund: options.number('success_refund', { min: 0 }) ?? DEFAULT_RETRY_BUDGET.successRefund,
  };
  options.rejectUnknown(BUDGET_KEYS);
  return budget;
}
