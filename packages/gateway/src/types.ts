import type { ClientRegistry, Provider, RegConfig, StateStore } from '@reg/core';
import type { LookupAll } from './upstream-allow-list.js';

export interface GatewayLimits {
  /** Largest request body accepted, in bytes (413 above it). */
  maxBodyBytes: number;
  /** Most clients a request-defined registry may define. */
  maxClients: number;
  /** Deepest nesting of strategies in a request-defined registry (a leaf alone is depth 0). */
  maxStrategyDepth: number;
  /** Highest `max_retries` a request-defined retry policy may ask for. */
  maxRetries: number;
  /** Highest timeout a request-defined client may set; also bounds every call of a request-defined registry. */
  maxTimeoutMs: number;
}

export interface GatewayOptions {
  /** A config file path (watched and reloadable) or a config object (BAML client_registry shape). */
  config: string | RegConfig;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default 0.0.0.0; with insecureLocal it is forced to 127.0.0.1. */
  host?: string;
  /** Accepted gateway keys (Authorization: Bearer <key>). Default: REG_GATEWAY_KEYS from env, comma-separated. */
  keys?: string[];
  /** No gateway key required; binds 127.0.0.1 only. */
  insecureLocal?: boolean;
  /** The server's environment (config interpolation, server-defined clients' credentials). Default process.env. */
  env?: Record<string, string | undefined>;
  /** Providers passed to every registry (server and request-defined). */
  providers?: readonly Provider[];
  /** Hosts/CIDRs request-defined clients may reach although private/loopback (default none). */
  allowUpstreams?: string[];
  /** How request-defined clients' host names resolve, for the allow-list (default node:dns lookup, all addresses). */
  lookup?: LookupAll;
  limits?: Partial<GatewayLimits>;
  /** Structured log sink (default: JSON lines to stderr); never receives secrets. */
  log?: (entry: Record<string, unknown>) => void;
  /**
   * Where the server's clients keep round-robin cursors, breakers, cooldowns and retry budgets
   * (default: in memory, per process). Give several gateway instances one shared store, e.g.
   * `@reg/state-redis`, to balance and break circuits together. Request-defined registries always
   * get a store of their own.
   */
  store?: StateStore;
  /** How long SIGTERM/close waits for in-flight requests (default 10000 ms). */
  shutdownGraceMs?: number;
}

export interface RunningGateway {
  /** http://host:port */
  url: string;
  port: number;
  /** The current server registry. */
  registry(): ClientRegistry;
  /** Re-reads the config file; a bad config throws and keeps the old one. */
  reload(): Promise<void>;
  /** Stops accepting, waits for in-flight requests up to the grace, then closes. */
  close(): Promise<void>;
}

export const DEFAULT_LIMITS: GatewayLimits = Object.freeze({
  maxBodyBytes: 4 * 1024 * 1024,
  maxClients: 16,
  maxStrategyDepth: 3,
  maxRetries: 5,
  maxTimeoutMs: 120_000,
});
