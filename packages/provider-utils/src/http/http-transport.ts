import type { ConnectionGuard } from '@reg/core';
import { guardConnector } from './connection-guard.js';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { httpFetch, type HttpFetchInit } from './http-fetch.js';

/** undici's default connect timeout, used when a guard needs a connector but no timeout was set. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** The global fetch's type, which the SDKs' `fetch` options declare. */
export type Fetch = typeof globalThis.fetch;

export interface HttpTransportOptions {
  /** The registry's connection guard (`ProviderContext.connectionGuard`): every connection, redirects included, goes only where it allows. */
  guard?: ConnectionGuard | undefined;
}

/**
 * One client's connections. With neither a connect timeout nor a guard, calls use undici's global
 * dispatcher (the pool Node's own fetch uses, and any proxy set on it). Otherwise each distinct
 * `connect_timeout_ms` gets one kept-alive Agent, built on first use and reused, whose TCP (and
 * TLS) connect is bounded and, with a guard, checked. Header and body timeouts are off on every
 * pool (httpFetch turns them off per request, the global dispatcher's included): reg enforces
 * request, first-token and idle timeouts itself, and undici's 5-minute defaults would cut a long
 * reasoning call the registry allows.
 */
export class HttpTransport {
  readonly #guard: ConnectionGuard | undefined;
  readonly #agents = new Map<number | undefined, Agent>();
  readonly #fetches = new Map<number | undefined, Fetch>();

  constructor(options: HttpTransportOptions = {}) {
    this.#guard = options.guard;
  }

  /** The pool for a call with this connect timeout, or undefined for undici's global one. */
  dispatcherFor(connectTimeoutMs: number | undefined): Dispatcher | undefined {
    if (connectTimeoutMs === undefined && !this.#guard) return undefined;
    let agent = this.#agents.get(connectTimeoutMs);
    if (!agent) {
      const timeout = connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
      const connect = this.#guard ? guardConnector(buildConnector({ timeout }), this.#guard) : { timeout };
      agent = new Agent({ headersTimeout: 0, bodyTimeout: 0, connect });
      this.#agents.set(connectTimeoutMs, agent);
    }
    return agent;
  }

  /** `httpFetch` on the pool for this connect timeout; the same function for the same timeout. */
  fetchFor(connectTimeoutMs: number | undefined): Fetch {
    let found = this.#fetches.get(connectTimeoutMs);
    if (!found) {
      const dispatcher = this.dispatcherFor(connectTimeoutMs);
      const bound = dispatcher ? (input: Parameters<typeof httpFetch>[0], init?: HttpFetchInit) => httpFetch(input, { ...init, dispatcher }) : httpFetch;
      // undici's RequestInit and the global one differ in their declared types, not in what the SDKs pass.
      found = bound as unknown as Fetch;
      this.#fetches.set(connectTimeoutMs, found);
    }
    return found;
  }

  /** Closes every pool this transport opened (undici's global one is not its to close). */
  async close(): Promise<void> {
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    this.#fetches.clear();
    await Promise.all(agents.map((agent) => agent.close()));
  }
}

/** Whether a failure (or anything in its cause chain) is undici's connect timeout. */
export function isConnectTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === 'UND_ERR_CONNECT_TIMEOUT') return true;
    current = current.cause;
  }
  return false;
}
