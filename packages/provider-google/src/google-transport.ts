import { guardConnector, type ConnectionGuard } from '@reg/core';
import { Agent, buildConnector, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';

/** undici's default connect timeout, used when a guard needs a connector but no timeout was set. */
const UNDICI_CONNECT_TIMEOUT_MS = 10_000;

/**
 * The fetch a model hands the SDK (`httpOptions.fetch`): undici's own fetch on one Agent per
 * connect timeout, so connections are kept alive across calls and a connect timeout applies
 * to the socket. Undici's header and body timeouts are off, as the SDK's default dispatcher
 * has them: reg enforces request, first-token and idle timeouts itself. With the registry's
 * connection guard, every connection (redirects included) goes only where the guard allows.
 */
export class GoogleTransport {
  readonly #agents = new Map<number | undefined, Agent>();
  readonly #fetches = new Map<number | undefined, typeof fetch>();
  readonly #queryParams: Record<string, string> | undefined;
  readonly #guard: ConnectionGuard | undefined;

  constructor(options: { queryParams?: Record<string, string>; guard?: ConnectionGuard | undefined }) {
    this.#guard = options.guard;
    this.#queryParams = options.queryParams && Object.keys(options.queryParams).length > 0 ? options.queryParams : undefined;
  }

  fetchFor(connectTimeoutMs: number | undefined): typeof fetch {
    let found = this.#fetches.get(connectTimeoutMs);
    if (!found) {
      const agent = this.#agent(connectTimeoutMs);
      const queryParams = this.#queryParams;
      found = ((input: string | URL | Request, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (queryParams) for (const [key, value] of Object.entries(queryParams)) url.searchParams.set(key, value);
        // The SDK passes a plain RequestInit; undici's fetch takes the same fields plus a dispatcher.
        return undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher: agent });
      }) as unknown as typeof fetch;
      this.#fetches.set(connectTimeoutMs, found);
    }
    return found;
  }

  #agent(connectTimeoutMs: number | undefined): Agent {
    let agent = this.#agents.get(connectTimeoutMs);
    if (!agent) {
      const guard = this.#guard;
      const connect = guard
        ? { connect: guardConnector(buildConnector({ timeout: connectTimeoutMs ?? UNDICI_CONNECT_TIMEOUT_MS }), guard) }
        : connectTimeoutMs === undefined
          ? {}
          : { connect: { timeout: connectTimeoutMs } };
      agent = new Agent({ headersTimeout: 0, bodyTimeout: 0, ...connect });
      this.#agents.set(connectTimeoutMs, agent);
    }
    return agent;
  }
}
