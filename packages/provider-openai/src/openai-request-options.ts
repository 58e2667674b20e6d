import type { ProviderContext } from '@reg/core';
import { HttpTransport } from '@reg/provider-utils/http';
import type { ClientOptions } from 'openai';

/** What every request of one model carries: the SDK's timeout and the fetch options. */
export type ModelRequestOptions = Pick<ClientOptions, 'timeout' | 'fetchOptions'>;

/**
 * The request options fixed for a model's life, built once when the model is: the pool for the
 * client's `connect_timeout_ms` (every connection through the registry's connection guard, when it
 * has one), kept alive across calls, and the SDK's own timeout from `request_timeout_ms` (its
 * 10-minute default would otherwise cut a longer attempt the registry allows). They are the SDK
 * client's defaults, so a call adds only its signal. Without a connect timeout or a guard, requests
 * use undici's global pool. `redirect: 'manual'` keeps a credential header from following a redirect.
 */
export function modelRequestOptions(context: Pick<ProviderContext, 'http' | 'connectionGuard'>, redirect?: 'manual'): ModelRequestOptions {
  const options: ModelRequestOptions = {};
  if (context.http.requestTimeoutMs !== undefined) options.timeout = context.http.requestTimeoutMs;
  const dispatcher = new HttpTransport({ guard: context.connectionGuard }).dispatcherFor(context.http.connectTimeoutMs);
  if (dispatcher || redirect) {
    // The SDK types fetchOptions as the global RequestInit, which does not know undici's `dispatcher`.
    options.fetchOptions = { ...(dispatcher ? { dispatcher } : {}), ...(redirect ? { redirect } : {}) } as ModelRequestOptions['fetchOptions'];
  }
  return options;
}
