import type { GoogleGenAIOptions } from '@google/genai';
import type { ProviderContext } from '@reg/core';
import { OptionReader, isRecord } from '@reg/provider-utils';

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
  /** Options reg does not know, passed on to the request (see build-google-request.ts). */
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

/** `candidate_count` -> `candidateCount`: the API's JSON names, whichever spelling a config used. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** The options every Google client reads, in BAML's names (snake_case spellings accepted where the API has camelCase). */
function readCommonOptions(reader: OptionReader): Omit<GoogleCommonOptions, 'passThrough'> {
  let baseUrl = reader.string('base_url', { url: true });
  let apiVersion = reader.string('api_version');
  // BAML's base URLs end with the API version; the SDK adds the version itself.
  const version = baseUrl === undefined ? undefined : VERSION_SUFFIX.exec(baseUrl)?.[1];
  if (baseUrl !== undefined && version) {
    apiVersion ??= version;
    baseUrl = baseUrl.replace(VERSION_SUFFIX, '');
  }
  const generationConfig = reader.record(['generationConfig', 'generation_config']);
  return {
    model: reader.string('model') ?? '',
    baseUrl,
    apiVersion,
    headers: reader.stringMap('headers', 'header names'),
    queryParams: reader.stringMap('query_params', 'parameter names'),
    generation: {
      temperature: reader.number('temperature', { min: 0, max: 2 }),
      maxTokens: reader.number('max_tokens', { min: 1, integer: true }),
      topP: reader.number('top_p', { min: 0, max: 1 }),
      topK: reader.number('top_k', { min: 1, integer: true }),
      stopSequences: reader.strings('stop_sequences', { orOne: true }),
    },
    generationConfig: generationConfig && Object.fromEntries(Object.entries(generationConfig).map(([key, value]) => [camelCase(key), value])),
    safetySettings: reader.list(['safetySettings', 'safety_settings']),
  };
}

export function parseGoogleAiOptions(raw: Record<string, unknown>, context: ProviderContext): GoogleAiOptions {
  const reader = new OptionReader(raw, context);
  const common = readCommonOptions(reader);
  const apiKey = reader.string('api_key', { secret: true });
  const options: GoogleAiOptions = { ...common, apiKey, passThrough: reader.rest() };
  reader.done();
  return options;
}

export function parseVertexAiOptions(raw: Record<string, unknown>, context: ProviderContext): VertexAiOptions {
  const reader = new OptionReader(raw, context);
  const common = readCommonOptions(reader);
  const projectId = reader.string('project_id');
  const location = reader.string('location');
  const accessToken = reader.string('access_token', { secret: true });
  const credentials = readCredentials(reader);
  const googleAuthOptions = reader.record('google_auth_options', "{ keyFilename: 'key.json' } (google-auth-library's GoogleAuth options)") as SdkGoogleAuthOptions | undefined;
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
  reader.done();
  return options;
}

/** A service-account key: an object, the key JSON as text (parsed now, so a typo fails at load), or a file path. */
function readCredentials(reader: OptionReader): VertexAiOptions['credentials'] {
  const found = reader.raw(['credentials', 'credentials_content']);
  if (!found) return undefined;
  const { name, value } = found;
  if (isRecord(value)) return value;
  if (typeof value !== 'string' || value.trim() === '') {
    reader.fail(name, 'must be the path of a service-account key file, or the key JSON (text or object)');
    return undefined;
  }
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
