export * from './spec.js';
export { ClientRegistry, DEFAULT_CLIENT, type ClientRegistryOptions } from './registry/client-registry.js';
export type { ClientInfo } from './registry/client-graph.js';
export { BUILT_IN_STRATEGIES, FIRST_PARTY_PROVIDERS } from './registry/provider-resolver.js';
export { fallback } from './strategies/fallback.js';
export { hedge, type HedgeOptions } from './strategies/hedge.js';
export { roundRobin } from './strategies/round-robin.js';
export { RegError, type ErrorCode, type RegErrorOptions } from './errors/reg-error.js';
export {
  AbortedError,
  AllClientsFailedError,
  ClientSkippedError,
  ConfigError,
  MissingCredentialsError,
  NoSuchClientError,
  NoSuchProviderError,
  StreamInterruptedError,
  TimeoutError,
  type ConfigIssue,
} from './errors/errors.js';
export { redactSecrets } from './errors/redact.js';
export { DEFAULT_RETRY, NO_RETRY, retryDelayMs, type RetryPolicy } from './retry/retry-policy.js';
export { DEFAULT_RETRY_BUDGET, type RetryBudget } from './retry/retry-budget.js';
export { MemoryStateStore, type StateStore } from './state/state-store.js';
export { DEFAULT_BREAKER_SETTINGS, type BreakerSettings } from './state/breaker.js';
export { Collector, type ClientStats } from './events/collector.js';
export type { RegistryEventHandler, RegistryEventName, RegistryEvents } from './events/events.js';
export type { ClientConfig, RegConfig, RetryPolicyConfig } from './config/config-types.js';
