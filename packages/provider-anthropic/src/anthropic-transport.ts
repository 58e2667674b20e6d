import { guardConnector, type ConnectionGuard } from '@reg/core';
import type { Agent } from 'undici';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Carries an undici connect timeout through the SDK. The SDK turns any fetch failure whose text
 * mentions a timeout into an APIConnectionTimeoutError and drops the cause, which would make a
 * connect timeout look like any other; so this error's name, message and properties avoid that
 * word and keep the original under `error`, not `cause`.
 */
export class ConnectTimeoutFailure extends Error {
  readonly timeoutMs: number;
  readonly error: unknown;
  constructor(timeoutMs: number, error: unknown) {
    super(`no connection within ${timeoutMs} ms`);
    this.name = 'ConnectDeadlineExceeded';
    this.timeoutMs = timeoutMs;
    this.error = error;
  }
}

let undici: Promise<typeof import('undici')> | undefined;

/** undici's default connect timeout, used when a guard needs a pool but no timeout was set. */
const UNDICI_CONNECT_TIMEOUT_MS = 10_000;

/**
 * A fetch with its own keep-alive pool whose TCP (and TLS) connect is bounded by `timeoutMs` and,
 * with a guard, goes only where the guard allows (every connection, redirects included). undici is
 * loaded on first use, so clients with neither never pay for it.
 */
export function transportFetch(options: { connectTimeoutMs?: number | undefined; guard?: ConnectionGuard | undefined }): Fetch {
  const timeoutMs = options.connectTimeoutMs ?? UNDICI_CONNECT_TIMEOUT_MS;
  let agent: Agent | undefined;
  return async (input, init) => {
    const loaded = await (undici ??= import('undici'));
    agent ??= new loaded.Agent({
      connect: options.guard ? guardConnector(loaded.buildConnector({ timeout: timeoutMs }), options.guard) : { timeout: timeoutMs },
    });
    try {
      // undici's fetch and the global one share their shapes but not their declared types.
      return (await loaded.fetch(input as Parameters<typeof loaded.fetch>[0], { ...(init as Parameters<typeof loaded.fetch>[1]), dispatcher: agent })) as unknown as Response;
    } catch (error) {
      if (isConnectTimeout(error)) throw new ConnectTimeoutFailure(timeoutMs, error);
      throw error;
    }
  };
}

function isConnectTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    if ((current as { code?: unknown }).code === 'UND_ERR_CONNECT_TIMEOUT') return true;
    current = current.cause;
  }
  return false;
}
