import { DEFAULT_CONNECT_TIMEOUT_MS, isConnectTimeout, type Fetch, type HttpTransport } from '@reg/http';

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

/**
 * The fetch an SDK client gets: `@reg/http`'s fetch on the transport's pool for this connect
 * timeout (keep-alive, the registry's connection guard), with a connect timeout failing as a
 * ConnectTimeoutFailure.
 */
export function anthropicFetch(transport: HttpTransport, connectTimeoutMs: number | undefined): Fetch {
  const fetch = transport.fetchFor(connectTimeoutMs);
  const timeoutMs = connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (error) {
      if (isConnectTimeout(error)) throw new ConnectTimeoutFailure(timeoutMs, error);
      throw error;
    }
  };
}
