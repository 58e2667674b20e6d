import { ConfigError, type ConfigIssue, type ProviderContext } from '@reg/core';

export const PROVIDER_NAME = 'echo';
export const API_KEY_ENV = 'ECHO_API_KEY';

/** A client's options after validation. Plain data, so core can cache one model per distinct options. */
export interface EchoOptions {
  model: string;
  /** Without a trailing slash: `/chat/completions` is appended. */
  baseUrl: string;
  /** Undefined: read ECHO_API_KEY from the registry's environment when the model is built. */
  apiKey?: string;
  headers?: Record<string, string>;
  temperature?: number;
  maxTokens?: number;
  /** Options this provider does not know; they go into the request body as they are (as BAML does). */
  extraBody: Record<string, unknown>;
}

const KNOWN = ['model', 'base_url', 'api_key', 'headers', 'temperature', 'max_tokens'];

/**
 * Validates one client's raw options and reports every problem at once, each with its config path
 * (`clients[2].options.temperature`), so a user fixes the file in one go.
 */
export function parseEchoOptions(raw: Record<string, unknown>, context: ProviderContext): EchoOptions {
  const issues: ConfigIssue[] = [];
  const fail = (key: string, message: string): undefined => {
    issues.push({ path: `${context.path}.${key}`, message });
    return undefined;
  };

  const model = raw.model;
  if (typeof model !== 'string' || model.trim() === '') fail('model', `is required: the model name the server knows, not ${describe(model)}`);

  const baseUrl = raw.base_url;
  if (typeof baseUrl !== 'string' || !/^https?:\/\/\S+$/i.test(baseUrl)) {
    fail('base_url', `is required: the server's http(s) URL up to /chat/completions (e.g. http://localhost:8000/v1), not ${describe(baseUrl)}`);
  }

  const apiKey = raw.api_key;
  if (apiKey !== undefined && apiKey !== null && (typeof apiKey !== 'string' || apiKey === '')) {
    // The value is not echoed: it may be a secret with a typo.
    fail('api_key', `must be a non-empty string, not ${Array.isArray(apiKey) ? 'a list' : typeof apiKey}`);
  }

  let headers: Record<string, string> | undefined;
  if (raw.headers !== undefined && raw.headers !== null) {
    if (typeof raw.headers !== 'object' || Array.isArray(raw.headers)) fail('headers', `must be a map of header names to values, not ${describe(raw.headers)}`);
    else {
      headers = {};
      for (const [name, value] of Object.entries(raw.headers)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') headers[name] = String(value);
        else fail(`headers.${name}`, `must be a string, not ${describe(value)}`);
      }
    }
  }

  const temperature = optionalNumber(raw.temperature, (value) => value >= 0 && value <= 2);
  if (temperature === false) fail('temperature', `must be a number from 0 to 2, not ${describe(raw.temperature)}`);
  const maxTokens = optionalNumber(raw.max_tokens, (value) => Number.isInteger(value) && value > 0);
  if (maxTokens === false) fail('max_tokens', `must be a whole number above 0, not ${describe(raw.max_tokens)}`);

  if (issues.length > 0) throw new ConfigError(issues);

  const extraBody: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!KNOWN.includes(key) && value !== undefined) extraBody[key] = value;
  }
  const options: EchoOptions = { model: model as string, baseUrl: (baseUrl as string).replace(/\/+$/, ''), extraBody };
  if (typeof apiKey === 'string') options.apiKey = apiKey;
  if (headers) options.headers = headers;
  if (typeof temperature === 'number') options.temperature = temperature;
  if (typeof maxTokens === 'number') options.maxTokens = maxTokens;
  return options;
}

/** The number, undefined when absent, or false when present but not acceptable. */
function optionalNumber(value: unknown, accept: (value: number) => boolean): number | undefined | false {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' && Number.isFinite(value) && accept(value) ? value : false;
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
