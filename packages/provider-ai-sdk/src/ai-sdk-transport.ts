import type { Fetch } from '@reg/provider-utils/http';

let http: Promise<typeof import('@reg/provider-utils/http')> | undefined;

/**
 * A fetch whose TCP (and TLS) connect is bounded by `timeoutMs`, on its own kept-alive pool, for
 * an AI SDK provider's `settings.fetch`. The toolkit's transport is imported and built on the first
 * request, so only clients with a connect timeout ever make one. A connect timeout surfaces as
 * undici's UND_ERR_CONNECT_TIMEOUT in the cause chain, which map-ai-sdk-error.ts turns into a TimeoutError.
 */
export function connectTimeoutFetch(timeoutMs: number): Fetch {
  let fetch: Fetch | undefined;
  return async (input, init) => {
    if (!fetch) {
      const { HttpTransport } = await (http ??= import('@reg/provider-utils/http'));
      fetch ??= new HttpTransport().fetchFor(timeoutMs);
    }
    return fetch(input, init);
  };
}
