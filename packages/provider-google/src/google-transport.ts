import type { ConnectionGuard } from '@reg/core';
import { HttpTransport, type Fetch } from '@reg/provider-utils/http';

/**
 * The fetch a model hands the SDK (`httpOptions.fetch`), built once per model: `@reg/provider-utils`'s
 * fetch on one kept-alive pool with the client's connect timeout (and the registry's connection
 * guard, when there is one), with the client's `query_params` added to every URL. Undici's header
 * and body timeouts are off: reg enforces request, first-token and idle timeouts itself.
 */
export function createGoogleFetch(options: {
  connectTimeoutMs: number | undefined;
  queryParams?: Record<string, string> | undefined;
  guard?: ConnectionGuard | undefined;
}): Fetch {
  const fetch = new HttpTransport({ guard: options.guard }).fetchFor(options.connectTimeoutMs);
  const { queryParams } = options;
  if (!queryParams || Object.keys(queryParams).length === 0) return fetch;
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    for (const [key, value] of Object.entries(queryParams)) url.searchParams.set(key, value);
    return fetch(url, init);
  };
}
