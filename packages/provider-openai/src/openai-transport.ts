// The openai SDK wired to the toolkit's transport: one SDK client per model, with the request
// options fixed for the model's life.
import type { ProviderContext } from '@reg/core';
import { loadApiKey } from '@reg/provider-utils';
import { HttpTransport, httpFetch } from '@reg/provider-utils/http';
import OpenAI, { type ClientOptions } from 'openai';
import type { OpenAIConnectionOptions, OpenAIConnectionSettings } from './openai-options.js';

/** How a client proves who it is: a bearer key, Azure's `api-key` header, an Entra ID token, or nothing. */
export type OpenAIAuth =
  | { type: 'bearer'; apiKey: string }
  | { type: 'api-key'; apiKey: string }
  | { type: 'token-provider'; getToken: () => Promise<string> }
  | { type: 'none' };

// The SDK insists on a credential even when a header replaces it or the server needs none.
const UNUSED_API_KEY = 'unused';

/**
 * The SDK client a model keeps for its whole life, for one client's connection options: its
 * address and credentials (read now, from the options or the registry's environment), its
 * headers, and the request options fixed per model (see modelRequestOptions). Retries are off (the
 * registry is the only retry loop), logging is off (failures reach the caller as RegError), and
 * requests go through the toolkit's fetch on undici.
 */
export function createOpenAIClient<Own>(settings: OpenAIConnectionSettings<Own>, connection: OpenAIConnectionOptions<Own>, context: ProviderContext): OpenAI {
  const auth = settings.auth ? settings.auth(connection, context) : bearerAuth(settings, connection, context);
  const headers: Record<string, string | null | undefined> = settings.headers ? { ...settings.headers(connection.own, context), ...connection.headers } : { ...connection.headers };
  let apiKey: string | (() => Promise<string>) = UNUSED_API_KEY;
  let redirect: 'manual' | undefined;
  switch (auth.type) {
    case 'bearer':
      apiKey = auth.apiKey;
      break;
    case 'token-provider':
      apiKey = auth.getToken;
      break;
    case 'api-key':
      headers['api-key'] = auth.apiKey;
      headers.Authorization = null;
      // fetch drops Authorization on a cross-origin redirect but not `api-key`; never follow one.
      redirect = 'manual';
      break;
    case 'none':
      // A null header tells the SDK the credential is deliberately absent (Ollama, local vLLM).
      headers.Authorization = null;
      break;
  }
  const variable = settings.baseUrlEnvironmentVariable;
  return new ExplicitOpenAI({
    apiKey,
    baseURL: connection.baseUrl ?? (variable === undefined ? undefined : context.env[variable]) ?? settings.baseUrl ?? '',
    // Given explicitly, so the SDK reads none of them from process.env.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    defaultHeaders: headers,
    defaultQuery: connection.queryParams,
    maxRetries: 0,
    logLevel: 'off',
    // undici's RequestInit and the global one differ in their declared types, not in what the SDK passes.
    fetch: httpFetch as unknown as typeof globalThis.fetch,
    ...modelRequestOptions(context, redirect),
  });
}

/** The key from the option, else from the provider's variable (required then); with no variable, optional. */
function bearerAuth<Own>(settings: OpenAIConnectionSettings<Own>, connection: OpenAIConnectionOptions<Own>, context: ProviderContext): OpenAIAuth {
  const variable = settings.apiKeyEnvironmentVariable;
  if (variable === undefined) return connection.apiKey ? { type: 'bearer', apiKey: connection.apiKey } : { type: 'none' };
  return { type: 'bearer', apiKey: loadApiKey({ apiKey: connection.apiKey, environmentVariable: variable, context, provider: settings.name, model: connection.model }) };
}

/**
 * The SDK's client without the headers it adds from process.env (`OPENAI_CUSTOM_HEADERS`): a
 * registry reads configuration from its own environment only, and a server's headers must not
 * reach a `base_url` that a request chose.
 */
class ExplicitOpenAI extends OpenAI {
  constructor(options: ClientOptions) {
    super(options);
    this._options.defaultHeaders = options.defaultHeaders;
  }
}

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
