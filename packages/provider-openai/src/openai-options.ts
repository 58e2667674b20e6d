import type { ProviderContext } from '@reg/core';
import type { OptionReader } from '@reg/provider-utils';
import type { OpenAIAuth } from './openai-transport.js';

/**
 * How clients of one OpenAI-wire API connect: its facts as data (default URL, key variable), and
 * hooks for what an API does its own way (OpenRouter's attribution headers, Azure's deployment URLs
 * and `api-key` header). `Own` is what `readOptions` reads, kept in the parsed options as `own`.
 */
export interface OpenAIConnectionSettings<Own = undefined> {
  /** The provider name configs use (`together`); errors name it. */
  readonly name: string;
  /** The API root when a client gives no `base_url` (`https://api.together.ai/v1`); without one, `base_url` is required. */
  readonly baseUrl?: string;
  /** A variable of the registry's environment that moves the default API root (`OPENAI_BASE_URL`). */
  readonly baseUrlEnvironmentVariable?: string;
  /**
   * The variable (or variables, in order) the API key defaults to (`TOGETHER_API_KEY`). Without
   * one the key is optional, as for local servers: no Authorization header is sent without it.
   */
  readonly apiKeyEnvironmentVariable?: string | readonly string[];
  /**
   * Options of the provider's own (`app_name`), read after the connection options and before the
   * request options, so they stay out of the request body. `connection` is what was read so far.
   */
  readOptions?(reader: OptionReader, context: ProviderContext, connection: Readonly<OpenAIConnectionOptions<undefined>>): Own;
  /** Request headers from those options (undefined values are not sent); the client's `headers` win over them. */
  headers?(own: Own, context: ProviderContext): Record<string, string | undefined>;
  /**
   * Reads where the API lives, for APIs whose address is not one `base_url` (Azure's resource and
   * deployment): it replaces reading `model` and `base_url`, and `model` may then be left out.
   */
  readEndpoint?(reader: OptionReader, context: ProviderContext): OpenAIEndpoint;
  /** How a client authenticates, for APIs without OpenAI's bearer key (Azure's `api-key` header, Entra ID tokens). */
  auth?(connection: OpenAIConnectionOptions<Own>, context: ProviderContext): OpenAIAuth;
}

/** Where a client's requests go: the model, the API root, and query parameters the address needs (`api-version`). */
export interface OpenAIEndpoint {
  model: string;
  /** Undefined: the provider's default. */
  baseUrl?: string;
  query?: Record<string, string>;
}

/** A client's connection options, validated. */
export interface OpenAIConnectionOptions<Own = undefined> {
  model: string;
  /** Undefined: the provider's default (its base URL variable, else its base URL). */
  baseUrl?: string;
  /** Undefined: read from the provider's key variable when the model is built. */
  apiKey?: string;
  headers?: Record<string, string>;
  queryParams?: Record<string, string>;
  /** What the provider's `readOptions` read. */
  own: Own;
}

/** Reads `model`, `base_url` (or the provider's endpoint options), `api_key`, the provider's own options, `headers` and `query_params`. */
export function readOpenAIConnectionOptions<Own>(reader: OptionReader, context: ProviderContext, settings: OpenAIConnectionSettings<Own>): OpenAIConnectionOptions<Own> {
  const endpoint: OpenAIEndpoint = settings.readEndpoint?.(reader, context) ?? {
    model: reader.string('model', { required: true }) ?? '',
    baseUrl: reader.string('base_url', { url: true, required: settings.baseUrl === undefined }),
  };
  const connection: OpenAIConnectionOptions<undefined> = {
    model: endpoint.model,
    baseUrl: endpoint.baseUrl,
    apiKey: reader.string('api_key', { secret: true }),
    own: undefined,
  };
  const own = settings.readOptions?.(reader, context, connection) as Own;
  const headers = reader.stringMap('headers', 'header names');
  const queryParams = reader.stringMap('query_params', 'query parameter names');
  return {
    ...connection,
    headers,
    queryParams: endpoint.query ? { ...queryParams, ...endpoint.query } : queryParams,
    own,
  };
}

/** `organization` and `project`, the OpenAI account options. */
export interface OpenAIAccountOptions {
  organization?: string;
  project?: string;
}

/**
 * How `openai` and `openai-responses` connect: OpenAI's API root and key variable, and the
 * organization and project headers. As the official SDK does, `OPENAI_BASE_URL`, `OPENAI_ORG_ID`
 * and `OPENAI_PROJECT_ID` move the defaults, but read from the registry's environment, never from
 * process.env behind its back.
 */
export const OPENAI_CONNECTION = {
  baseUrl: 'https://api.openai.com/v1',
  baseUrlEnvironmentVariable: 'OPENAI_BASE_URL',
  apiKeyEnvironmentVariable: 'OPENAI_API_KEY',
  readOptions: (reader: OptionReader): OpenAIAccountOptions => ({ organization: reader.string('organization'), project: reader.string('project') }),
  headers: (own: OpenAIAccountOptions, context: ProviderContext): Record<string, string | undefined> => ({
    'OpenAI-Organization': own.organization ?? context.env.OPENAI_ORG_ID,
    'OpenAI-Project': own.project ?? context.env.OPENAI_PROJECT_ID,
  }),
} as const satisfies Omit<OpenAIConnectionSettings<OpenAIAccountOptions>, 'name'>;
