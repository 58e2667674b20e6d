import type { Fetch } from '@reg/http';

let http: Promise<typeof import('@reg/http')> | undefined;

/**
 * A fetch whose TCP (and TLS) connect is bounded by `timeoutMs`, on its own kept-alive pool, for
 * an AI SDK provider's `settings.fetch`. `@reg/http` (and undici with it) is loaded on first use,
 * so clients without a connect timeout never pay for it. A connect timeout surfaces as undici's
 * UND_ERR_CONNECT_TIMEOUT in the cause chain, which map-ai-sdk-error.ts turns into a TimeoutError.
 */
export function connectTimeoutFetch(timeoutMs: number): Fetch {
  let fetch: Fetch | undefined;
  return async (input, init) => {
    if (!fetch) {
      const { HttpTransport } = await (http ??= import('@reg/http'));
      fetch ??= new HttpTransport().fetchFor(timeoutMs);
    }
    return fetch(input, init);
  };
}
