import Anthropic from '@anthropic-ai/sdk';
import type { ConnectionGuard, HttpTimeouts, ProviderContext } from '@reg/core';
import { ConnectDeadlineExceeded } from '@reg/provider-utils';
import { DEFAULT_CONNECT_TIMEOUT_MS, HttpTransport, isConnectTimeout, type Fetch } from '@reg/provider-utils/http';
import type { AnthropicOptions } from './anthropic-options.js';

/**
 * The SDK's own per-request timer. reg bounds attempts through `call.signal`; setting the SDK's
 * timer explicitly (to its own default) keeps it from refusing large non-streamed max_tokens.
 */
const SDK_TIMEOUT_MS = 10 * 60 * 1000;

/** Headers the SDK adds to every request from the process environment, one `name: value` a line. */
const CUSTOM_HEADERS_ENV = 'ANTHROPIC_CUSTOM_HEADERS';

/**
 * A model's one SDK client: its own retries and logging off, on the toolkit's fetch (keep-alive, the
 * client's connect timeout, the registry's connection guard).
 */
export function createAnthropicClient(settings: {
  options: AnthropicOptions;
  apiKey: string;
  baseURL: string;
  http: Readonly<HttpTimeouts>;
  guard: ConnectionGuard | undefined;
  env: ProviderContext['env'];
}): Anthropic {
  const { options } = settings;
  const headers: Record<string, string | null> = { ...environmentHeaders(settings.env), ...options.headers };
  if (options.anthropicVersion) headers['anthropic-version'] = options.anthropicVersion;
  return new Anthropic({
    apiKey: settings.apiKey,
    baseURL: settings.baseURL,
    // The registry is the only retry loop.
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
    defaultHeaders: headers,
    // reg reports every failure as a RegError; the SDK's console logging would repeat it.
    logLevel: 'off',
    fetch: anthropicFetch(new HttpTransport({ guard: settings.guard }), settings.http.connectTimeoutMs),
  });
}

/**
 * The toolkit's fetch, with undici's connect timeout thrown as a ConnectDeadlineExceeded: the SDK
 * turns any fetch failure whose text mentions a timeout into its own APIConnectionTimeoutError and
 * drops the cause, so a connect timeout would look like its request timer. It keeps this one as
 * the `cause` of an APIConnectionError, where the toolkit's classification finds it.
 */
function anthropicFetch(transport: HttpTransport, connectTimeoutMs: number | undefined): Fetch {
  const fetch = transport.fetchFor(connectTimeoutMs);
  const timeoutMs = connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (error) {
      if (isConnectTimeout(error)) throw new ConnectDeadlineExceeded({ timeoutMs, error });
      throw error;
    }
  };
}

/**
 * The SDK reads ANTHROPIC_CUSTOM_HEADERS from process.env, behind the registry's back (a proxy's
 * credentials may sit there). reg's providers read only the registry's environment: the headers of
 * process.env are removed (null), and those of `env` (process.env unless the registry was given
 * another) are sent instead, so an application keeps them and a gateway's request-defined client
 * never gets the server's.
 */
function environmentHeaders(env: ProviderContext['env']): Record<string, string | null> {
  const headers: Record<string, string | null> = {};
  for (const [name] of customHeaders(process.env[CUSTOM_HEADERS_ENV])) headers[name] = null;
  for (const [name, value] of customHeaders(env[CUSTOM_HEADERS_ENV])) headers[name] = value;
  return headers;
}

/** `name: value` lines, as the SDK reads them. */
function customHeaders(text: string | undefined): Array<[string, string]> {
  if (!text) return [];
  return text.split('\n').flatMap((line): Array<[string, string]> => {
    const colon = line.indexOf(':');
    return colon < 0 ? [] : [[line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]];
  });
}
