import { ConfigError, MissingCredentialsError, type CallOptions, type ConfigIssue, type ConnectionGuard, type ProviderContext } from '@reg/core';
import OpenAI from 'openai';
import { HttpTransport, httpFetch } from '@reg/http';

/**
 * Reads one client's raw options, collecting every problem with its config path. Keys read are
 * remembered, so what is left (`rest()`) passes through into the request body, as BAML does.
 */
export class OptionReader {
  readonly issues: ConfigIssue[] = [];
  readonly #raw: Record<string, unknown>;
  readonly #path: string;
  readonly #read = new Set<string>();

  constructor(raw: Record<string, unknown>, path: string) {
    this.#raw = raw;
    this.#path = path;
  }

  /** Whether the option is present (not undefined or null); marks it read. */
  has(key: string): boolean {
    this.#read.add(key);
    return this.#raw[key] !== undefined && this.#raw[key] !== null;
  }

  string(key: string, rules: { required?: boolean; url?: boolean } = {}): string | undefined {
    const value = this.#take(key, rules.required);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') return this.#issue(key, `must be a non-empty string, not ${describe(value)}`);
    if (rules.url && !isHttpUrl(value)) return this.#issue(key, `must be an http(s) URL, not ${JSON.stringify(value)}`);
    return value;
  }

  number(key: string, rules: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const value = this.#take(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.#issue(key, `must be a number, not ${describe(value)}`);
    if (rules.integer && !Number.isInteger(value)) return this.#issue(key, `must be a whole number, not ${value}`);
    if (rules.min !== undefined && value < rules.min) return this.#issue(key, `must be at least ${rules.min}, not ${value}`);
    if (rules.max !== undefined && value > rules.max) return this.#issue(key, `must be at most ${rules.max}, not ${value}`);
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.#take(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') return this.#issue(key, `must be true or false, not ${describe(value)}`);
    return value;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.#take(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !values.includes(value as T)) {
      return this.#issue(key, `must be one of ${values.map((item) => `'${item}'`).join(', ')}, not ${describe(value)}`);
    }
    return value as T;
  }

  /** A string or a list of strings (`stop`). */
  strings(key: string): string[] | undefined {
    const value = this.#take(key);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
    return this.#issue(key, `must be a string or a list of strings, not ${describe(value)}`);
  }

  /** A map of names to string values (`headers`, `query_params`); numbers and booleans are written as text. */
  stringMap(key: string, what = 'names'): Record<string, string> | undefined {
    const value = this.#take(key);
    if (value === undefined) return undefined;
    if (!isRecord(value)) return this.#issue(key, `must be a map of ${what} to values, not ${describe(value)}`);
    const map: Record<string, string> = {};
    for (const [name, item] of Object.entries(value)) {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') map[name] = String(item);
      else this.issues.push({ path: `${this.#path}.${key}.${name}`, message: `must be a string, not ${describe(item)}` });
    }
    return map;
  }

  record(key: string): Record<string, unknown> | undefined {
    const value = this.#take(key);
    if (value === undefined) return undefined;
    if (!isRecord(value)) return this.#issue(key, `must be an object, not ${describe(value)}`);
    return value;
  }

  /** A function option (only possible in code, not in a config file). */
  callable<T extends (...args: never[]) => unknown>(key: string, expected: string): T | undefined {
    const value = this.#take(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'function') return this.#issue(key, `must be ${expected}, not ${describe(value)}`);
    return value as T;
  }

  /** Any value, unchecked (the vendor validates it). */
  raw(key: string): unknown {
    return this.#take(key);
  }

  /** Records a problem with an option the caller checks itself. */
  fail(key: string, message: string): void {
    this.issues.push({ path: key ? `${this.#path}.${key}` : this.#path, message });
  }

  /** The options nobody read: they go into the request body untouched. */
  rest(): Record<string, unknown> {
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.#raw)) {
      if (!this.#read.has(key) && value !== undefined) rest[key] = value;
    }
    return rest;
  }

  /** Throws one ConfigError listing every problem found. */
  done(): void {
    if (this.issues.length) throw new ConfigError(this.issues);
  }

  #take(key: string, required = false): unknown {
    this.#read.add(key);
    const value = this.#raw[key];
    if (value === undefined || value === null) {
      if (required) this.issues.push({ path: `${this.#path}.${key}`, message: 'is required' });
      return undefined;
    }
    return value;
  }

  #issue(key: string, message: string): undefined {
    this.issues.push({ path: `${this.#path}.${key}`, message });
    return undefined;
  }
}

/** Credentials, endpoint and headers shared by `openai` and `openai-responses`. */
export interface OpenAIConnectionOptions {
  model: string;
  /** Undefined: read `OPENAI_API_KEY` from the registry's environment when the model is built. */
  apiKey?: string;
  baseUrl?: string;
  organization?: string;
  project?: string;
  headers?: Record<string, string>;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const OPENAI_API_KEY_ENV = 'OPENAI_API_KEY';

/** Reads `model`, `api_key`, `base_url`, `organization`, `project` and `headers`. */
export function readOpenAIConnection(reader: OptionReader): OpenAIConnectionOptions {
  return {
    model: reader.string('model', { required: true }) ?? '',
    apiKey: reader.string('api_key'),
    baseUrl: reader.string('base_url', { url: true }),
    organization: reader.string('organization'),
    project: reader.string('project'),
    headers: reader.stringMap('headers', 'header names'),
  };
}

/**
 * The API key from the option, else from the registry's environment; a client without one fails
 * when it is first called (not when the registry is built), naming both places to put it.
 */
export function resolveApiKey(input: {
  apiKey: string | undefined;
  envVariable: string;
  provider: string;
  model: string;
  context: ProviderContext;
}): string {
  const apiKey = input.apiKey ?? input.context.env[input.envVariable];
  if (apiKey) return apiKey;
  throw new MissingCredentialsError({
    client: input.context.client,
    provider: input.provider,
    model: input.model,
    option: 'api_key',
    envVariable: input.envVariable,
  });
}

/** How a client proves who it is: OpenAI's bearer key, Azure's `api-key` header, an Entra token, or nothing. */
export type OpenAIAuth =
  | { type: 'bearer'; apiKey: string }
  | { type: 'api-key'; apiKey: string }
  | { type: 'token-provider'; getToken: () => Promise<string> }
  | { type: 'none' };

export interface OpenAIClientSettings {
  baseUrl: string;
  auth: OpenAIAuth;
  organization?: string;
  project?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

// The SDK insists on a credential even when a header replaces it or the server needs none.
const UNUSED_API_KEY = 'unused';

/**
 * Builds the SDK client a model keeps for its whole life: retries off (the registry is the only
 * retry loop), a fetch on undici (so a per-request dispatcher can carry a connect timeout), logging
 * off (failures reach the caller as RegError), and nothing read from `process.env` behind the
 * registry's back (organization, project and base URL are always given explicitly).
 */
export function createOpenAIClient(settings: OpenAIClientSettings): OpenAI {
  const headers: Record<string, string | null> = { ...settings.headers };
  let apiKey: string | (() => Promise<string>) = UNUSED_API_KEY;
  let redirect: 'manual' | undefined;
  switch (settings.auth.type) {
    case 'bearer':
      apiKey = settings.auth.apiKey;
      break;
    case 'token-provider':
      apiKey = settings.auth.getToken;
      break;
    case 'api-key':
      headers['api-key'] = settings.auth.apiKey;
      headers.Authorization = null;
      // fetch drops Authorization on a cross-origin redirect but not `api-key`; never follow one.
      redirect = 'manual';
      break;
    case 'none':
      // A null header tells the SDK the credential is deliberately absent (Ollama, local vLLM).
      headers.Authorization = null;
      break;
  }
  return new OpenAI({
    apiKey,
    baseURL: settings.baseUrl,
    organization: settings.organization ?? null,
    project: settings.project ?? null,
    defaultHeaders: headers,
    defaultQuery: settings.query,
    maxRetries: 0,
    logLevel: 'off',
    // undici's RequestInit and the global one differ in their declared types, not in what the SDK passes.
    fetch: httpFetch as unknown as typeof globalThis.fetch,
    ...(redirect ? { fetchOptions: { redirect } } : {}),
  });
}

/**
 * Per-model request options for the SDK: the attempt's signal (an abort or a reg timeout closes the
 * socket), the attempt's request timeout, and the pool for the client's connect timeout (and the
 * registry's connection guard), reused across calls so connections stay alive.
 */
export class OpenAIRequestOptions {
  readonly #transport: HttpTransport;

  constructor(guard?: ConnectionGuard) {
    this.#transport = new HttpTransport({ guard });
  }

  for(call: CallOptions): OpenAI.RequestOptions {
    const options: OpenAI.RequestOptions = { signal: call.signal };
    // The SDK's own default (10 minutes) would otherwise cut a longer attempt the registry allows.
    if (call.http.requestTimeoutMs !== undefined) options.timeout = call.http.requestTimeoutMs;
    const dispatcher = this.#transport.dispatcherFor(call.http.connectTimeoutMs);
    // The SDK types fetchOptions as the global RequestInit, which does not know `dispatcher`.
    if (dispatcher) options.fetchOptions = { dispatcher } as OpenAI.RequestOptions['fetchOptions'];
    return options;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
