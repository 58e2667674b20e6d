import { ConfigError, type ConfigIssue, type ProviderContext } from '@reg/core';

export const PROVIDER_NAME = 'anthropic';
export const API_KEY_ENV = 'ANTHROPIC_API_KEY';
/** Read from the registry's environment like the SDK reads it from process.env, so the emulator or a proxy can stand in. */
export const BASE_URL_ENV = 'ANTHROPIC_BASE_URL';
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** BAML sends this when a client gives no max_tokens; the Messages API requires the field. */
export const DEFAULT_MAX_TOKENS = 4096;

/** Client options of the `anthropic` provider, in the vendor's (and BAML's) names. */
export interface AnthropicOptions {
  model: string;
  /** Default: the ANTHROPIC_API_KEY environment variable. */
  api_key?: string;
  /** Default: ANTHROPIC_BASE_URL, else https://api.anthropic.com. */
  base_url?: string;
  /** Default 4096. */
  max_tokens?: number;
  /** The `anthropic-version` header; default: the SDK's. */
  anthropic_version?: string;
  /** Extra headers on every request, e.g. `anthropic-beta`. */
  headers?: Record<string, string>;
  /** Extended thinking, as the API takes it: `{ type: 'enabled', budget_tokens: 2048 }`. */
  thinking?: Record<string, unknown>;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
  metadata?: Record<string, unknown>;
  /** Options reg does not know, sent in the request body as given (BAML does the same). */
  passthrough: Record<string, unknown>;
}

const KNOWN = new Set([
  'model',
  'api_key',
  'base_url',
  'max_tokens',
  'anthropic_version',
  'headers',
  'thinking',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'metadata',
]);

/**
 * BAML client options that shape BAML's prompt rendering, not the request. reg takes cache control
 * from message parts instead, so these are accepted (configs paste unchanged) and never sent.
 */
const BAML_ONLY = new Set(['allowed_role_metadata', 'default_role', 'allowed_roles', 'supports_streaming', 'finish_reason_allow_list', 'finish_reason_deny_list']);

/** Body fields reg sets from each request; a client option for them would be silently overwritten. */
const PER_CALL = new Set(['messages', 'stream', 'system', 'tools', 'tool_choice']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseAnthropicOptions(raw: Record<string, unknown>, context: ProviderContext): AnthropicOptions {
  const issues: ConfigIssue[] = [];
  const at = (key: string) => `${context.path}.${key}`;
  const fail = (key: string, message: string) => issues.push({ path: at(key), message });

  const text = (key: string, rules: { url?: boolean; secret?: boolean } = {}): string | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      // A malformed key is still a key: never echo it.
      fail(key, rules.secret ? 'must be a non-empty string' : `must be a non-empty string, not ${describe(value)}`);
      return undefined;
    }
    if (rules.url && !/^https?:\/\/[^\s/]+/.test(value)) {
      fail(key, `must be an http(s) URL such as ${DEFAULT_BASE_URL}, not ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  };
  const number = (key: string, rules: { min: number; max?: number; integer?: boolean; exclusiveMin?: boolean }): number | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    const below = rules.exclusiveMin ? (value as number) <= rules.min : (value as number) < rules.min;
    if (typeof value !== 'number' || !Number.isFinite(value) || (rules.integer && !Number.isInteger(value)) || below || (rules.max !== undefined && value > rules.max)) {
      const kind = rules.integer ? 'a whole number' : 'a number';
      const range = rules.max === undefined ? `${rules.exclusiveMin ? 'above' : 'at least'} ${rules.min}` : `from ${rules.min} to ${rules.max}`;
      fail(key, `must be ${kind} ${range}, not ${describe(value)}`);
      return undefined;
    }
    return value;
  };
  const object = (key: string, example: string): Record<string, unknown> | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) {
      fail(key, `must be an object such as ${example}, not ${describe(value)}`);
      return undefined;
    }
    return value;
  };

  const options: AnthropicOptions = { model: text('model') ?? '', passthrough: {} };
  const set = <Key extends keyof AnthropicOptions>(key: Key, value: AnthropicOptions[Key] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('api_key', text('api_key', { secret: true }));
  set('base_url', text('base_url', { url: true }));
  set('anthropic_version', text('anthropic_version'));
  set('max_tokens', number('max_tokens', { min: 1, integer: true }));
  set('temperature', number('temperature', { min: 0, max: 1 }));
  set('top_p', number('top_p', { min: 0, max: 1 }));
  set('top_k', number('top_k', { min: 1, integer: true }));
  set('metadata', object('metadata', '{ user_id: "..." }'));

  const headers = object('headers', '{ "anthropic-beta": "prompt-caching-2024-07-31" }');
  if (headers) {
    const bad = Object.entries(headers).filter(([, value]) => typeof value !== 'string');
    for (const [name, value] of bad) fail(`headers.${name}`, `must be a string, not ${describe(value)}`);
    if (bad.length === 0) options.headers = headers as Record<string, string>;
  }

  const thinking = object('thinking', "{ type: 'enabled', budget_tokens: 2048 }");
  if (thinking) {
    if (typeof thinking.type !== 'string') fail('thinking.type', "must be a string such as 'enabled', 'disabled' or 'adaptive'");
    else if (thinking.budget_tokens !== undefined && !(Number.isInteger(thinking.budget_tokens) && (thinking.budget_tokens as number) > 0)) {
      fail('thinking.budget_tokens', `must be a whole number above 0, not ${describe(thinking.budget_tokens)}`);
    } else options.thinking = thinking;
  }

  const stops = raw.stop_sequences;
  if (stops !== undefined && stops !== null) {
    if (!Array.isArray(stops) || stops.some((stop) => typeof stop !== 'string')) fail('stop_sequences', `must be a list of strings, not ${describe(stops)}`);
    else options.stop_sequences = stops as string[];
  }

  for (const [key, value] of Object.entries(raw)) {
    if (KNOWN.has(key) || BAML_ONLY.has(key)) continue;
    if (PER_CALL.has(key)) fail(key, 'is set from each request by reg; put it in the request instead of the client options');
    else if (value !== undefined) options.passthrough[key] = value;
  }

  if (issues.length > 0) throw new ConfigError(issues);
  return options;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value) ?? String(value);
}
