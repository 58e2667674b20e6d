import { ConfigError, type ConfigIssue, type ProviderContext } from '@reg/core';
import type { GoogleGenAIOptions } from '@google/genai';

/** google-auth-library options as the SDK takes them (it depends on its own copy of the library). */
export type SdkGoogleAuthOptions = NonNullable<GoogleGenAIOptions['googleAuthOptions']>;

/** Sampling defaults a client may set; a request's own values win. */
export interface GenerationDefaults {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
}

/** What both providers share: the model, transport and the request defaults. */
export interface GoogleCommonOptions {
  model: string;
  baseUrl?: string;
  apiVersion?: string;
  headers?: Record<string, string>;
  /** Appended to every request URL (BAML's `query_params`); Vertex's `key` is taken out as the API key. */
  queryParams?: Record<string, string>;
  generation: GenerationDefaults;
  /** The API's `generationConfig`, keys in lowerCamel case. */
  generationConfig?: Record<string, unknown>;
  safetySettings?: unknown[];
  /** Options reg does not know, passed on to the request (see google-request.ts). */
  passThrough: Record<string, unknown>;
}

export interface GoogleAiOptions extends GoogleCommonOptions {
  apiKey?: string;
}

export interface VertexAiOptions extends GoogleCommonOptions {
  projectId?: string;
  location?: string;
  /** A service-account key: a file path, the key JSON as text, or the parsed key. */
  credentials?: string | Record<string, unknown>;
  accessToken?: string;
  apiKey?: string;
  /** google-auth-library options, given in code (e.g. a custom token fetch in tests). */
  googleAuthOptions?: SdkGoogleAuthOptions;
}

const VERSION_SUFFIX = /\/(v1|v1beta|v1beta1|v1alpha)\/?$/;

/** Reads options one by one, collecting every problem with its path. */
export class OptionReader {
  readonly issues: ConfigIssue[] = [];
  readonly #raw: Record<string, unknown>;
  readonly #path: string;
  readonly #known = new Set<string>();

  constructor(raw: Record<string, unknown>, context: ProviderContext) {
    this.#raw = raw;
    this.#path = context.path;
  }

  /** The first of `names` present (aliases, e.g. `generationConfig` and `generation_config`). */
  #take(names: string[]): { name: string; value: unknown } | undefined {
    for (const name of names) this.#known.add(name);
    const name = names.find((candidate) => this.#raw[candidate] !== undefined && this.#raw[candidate] !== null);
    return name === undefined ? undefined : { name, value: this.#raw[name] };
  }

  #fail(name: string, message: string): undefined {
    this.issues.push({ path: `${this.#path}.${name}`, message });
    return undefined;
  }

  string(...names: string[]): string | undefined {
    const found = this.#take(names);
    if (!found) return undefined;
    if (typeof found.value !== 'string' || found.value.trim() === '') return this.#fail(found.name, 'must be a non-empty string');
    return found.value;
  }

  number(name: string, range: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const found = this.#take([name]);
    if (!found) return undefined;
    const value = found.value;
    const { min, max, integer } = range;
    const bounds = `${min !== undefined ? ` >= ${min}` : ''}${max !== undefined ? ` and <= ${max}` : ''}`;
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      return this.#fail(name, `must be ${integer ? 'an integer' : 'a number'}${bounds}`);
    }
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) return this.#fail(name, `must be${bounds}`);
    return value;
  }

  stringList(name: string): string[] | undefined {
    const found = this.#take([name]);
    if (!found) return undefined;
    if (typeof found.value === 'string') return [found.value];
    if (!Array.isArray(found.value) || !found.value.every((item) => typeof item === 'string')) {
      return this.#fail(name, 'must be a string or a list of strings');
    }
    return found.value as string[];
  }

  record(...names: string[]): Record<string, unknown> | undefined {
    const found = this.#take(names);
    if (!found) return undefined;
    if (!isRecord(found.value)) return this.#fail(found.name, 'must be an object');
    return found.value;
  }

  stringRecord(name: string): Record<string, string> | undefined {
    const record = this.record(name);
    if (!record) return undefined;
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) {
      if (typeof value === 'string') result[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') result[key] = String(value);
      else this.issues.push({ path: `${this.#path}.${name}.${key}`, message: 'must be a string' });
    }
    return result;
  }

  list(...names: string[]): unknown[] | undefined {
    const found = this.#take(names);
    if (!found) return undefined;
    if (!Array.isArray(found.value)) return this.#fail(found.name, 'must be a list');
    return found.value;
  }

  /** A value of any type; the caller checks it. */
  raw(...names: string[]): { name: string; value: unknown } | undefined {
    return this.#take(names);
  }

  fail(name: string, message: string): void {
    this.#fail(name, message);
  }

  /** Every option not read so far. */
  rest(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.#raw).filter(([key, value]) => !this.#known.has(key) && value !== undefined));
  }

  throwIfInvalid(): void {
    if (this.issues.length > 0) throw new ConfigError(this.issues);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** The options every Google client reads, in BAML's names (snake_case aliases accepted where the API has camelCase). */
export function readCommonOptions(reader: OptionReader): GoogleCommonOptions {
  const model = reader.string('model') ?? '';
  let baseUrl = reader.string('base_url');
  let apiVersion = reader.string('api_version');
  if (baseUrl !== undefined) {
    try {
      new URL(baseUrl);
      // BAML's base URLs end with the API version; the SDK adds the version itself.
      const version = VERSION_SUFFIX.exec(baseUrl)?.[1];
      if (version) {
        apiVersion ??= version;
        baseUrl = baseUrl.replace(VERSION_SUFFIX, '');
      }
    } catch {
      reader.fail('base_url', 'must be an absolute URL such as https://generativelanguage.googleapis.com');
    }
  }
  const generationConfig = reader.record('generationConfig', 'generation_config');
  const safetySettings = reader.list('safetySettings', 'safety_settings');
  const common: GoogleCommonOptions = {
    model,
    baseUrl,
    apiVersion,
    headers: reader.stringRecord('headers'),
    queryParams: reader.stringRecord('query_params'),
    generation: {
      temperature: reader.number('temperature', { min: 0, max: 2 }),
      maxTokens: reader.number('max_tokens', { min: 1, integer: true }),
      topP: reader.number('top_p', { min: 0, max: 1 }),
      topK: reader.number('top_k', { min: 1, integer: true }),
      stopSequences: reader.stringList('stop_sequences'),
    },
    generationConfig: generationConfig && Object.fromEntries(Object.entries(generationConfig).map(([key, value]) => [camelCase(key), value])),
    safetySettings,
    passThrough: {},
  };
  return common;
}

export function parseGoogleAiOptions(raw: Record<string, unknown>, context: ProviderContext): GoogleAiOptions {
  const reader = new OptionReader(raw, context);
  const common = readCommonOptions(reader);
  const apiKey = reader.string('api_key');
  const options: GoogleAiOptions = { ...common, apiKey, passThrough: reader.rest() };
  reader.throwIfInvalid();
  return options;
}

export function parseVertexAiOptions(raw: Record<string, unknown>, context: ProviderContext): VertexAiOptions {
  const reader = new OptionReader(raw, context);
  const common = readCommonOptions(reader);
  const projectId = reader.string('project_id');
  const location = reader.string('location');
  const accessToken = reader.string('access_token');
  let credentials: VertexAiOptions['credentials'];
  const credentialsOption = reader.raw('credentials', 'credentials_content');
  if (credentialsOption) {
    const { name, value } = credentialsOption;
    if (isRecord(value)) credentials = value;
    else if (typeof value === 'string' && value.trim() !== '') credentials = readCredentialsText(value, name, reader);
    else reader.fail(name, 'must be the path of a service-account key file, or the key JSON (text or object)');
  }
  const authOption = reader.raw('google_auth_options');
  let googleAuthOptions: SdkGoogleAuthOptions | undefined;
  if (authOption) {
    if (isRecord(authOption.value)) googleAuthOptions = authOption.value as SdkGoogleAuthOptions;
    else reader.fail(authOption.name, 'must be an object of google-auth-library GoogleAuth options');
  }
  const { key, ...queryParams } = common.queryParams ?? {};
  const options: VertexAiOptions = {
    ...common,
    queryParams: Object.keys(queryParams).length > 0 ? queryParams : undefined,
    projectId,
    location,
    credentials,
    accessToken,
    apiKey: key,
    googleAuthOptions,
    passThrough: reader.rest(),
  };
  reader.throwIfInvalid();
  return options;
}

/** A key's JSON text is parsed now so a typo fails at load; anything else is a file path. */
function readCredentialsText(value: string, name: string, reader: OptionReader): VertexAiOptions['credentials'] {
  if (!value.trim().startsWith('{')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    if (isRecord(parsed)) return parsed;
  } catch {
    // Reported below; the text itself is a secret and stays out of the message.
  }
  reader.fail(name, 'looks like JSON but does not parse as a service-account key object');
  return undefined;
}
