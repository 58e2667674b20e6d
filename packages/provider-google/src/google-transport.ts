import type { ConnectionGuard } from '@reg/core';
import { HttpTransport, type Fetch } from '@reg/http';

/**
 * The fetch a model hands the SDK (`httpOptions.fetch`): `@reg/http`'s fetch on one kept-alive
 * pool per connect timeout (with the registry's connection guard, when there is one), and the
 * client's `query_params` added to every URL. Undici's header and body timeouts are off: reg
 * enforces request, first-token and idle timeouts itself.
 */
export class GoogleTransport {
  readonly #transport: HttpTransport;
  readonly #fetches = new Map<number | undefined, Fetch>();
  readonly #queryParams: Record<string, string> | undefined;

  constructor(options: { queryParams?: Record<string, string>; guard?: ConnectionGuard | undefined }) {
    this.#transport = new HttpTransport({ guard: options.guard });
    this.#queryParams = options.queryParams && Object.keys(options.queryParams).length > 0 ? options.queryParams : undefined;
  }

  fetchFor(connectTimeoutMs: number | undefined): Fetch {
    const queryParams = this.#queryParams;
    if (!queryParams) return this.#transport.fetchFor(connectTimeoutMs);
    let found = this.#fetches.get(connectTimeoutMs);
    if (!found) {
      const fetch = this.#transport.fetchFor(connectTimeoutMs);
      found = (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        for (const [key, value] of Object.entries(queryParams)) url.searchParams.set(key, value);
        return fetch(url, init);
      };
      this.#fetches.set(connectTimeoutMs, found);
    }
    return found;
  }
}
