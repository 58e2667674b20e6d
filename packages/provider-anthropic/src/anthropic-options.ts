import type { ProviderContext } from '@reg/core';
import { describe, OptionReader } from '@reg/provider-utils';

export const API_KEY_ENV = 'ANTHROPIC_API_KEY';
/** Read from the registry's environment like the SDK reads it from process.env, so the emulator or a proxy can stand in. */
export const BASE_URL_ENV = 'ANTHROPIC_BASE_URL';
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** The media types `document` blocks take: PDFs (base64 or URL) and plain text (sent as its text). */
export const ANTHROPIC_FILE_TYPES = ['application/pdf', 'text/plain'] as const;
/** BAML sends this when a client gives no max_tokens; the Messages API requires the field. */
export const DEFAULT_MAX_TOKENS = 4096;

/** Client options of the `anthropic` provider, validated (a config spells them as the API does: `max_tokens`). */
export interface AnthropicOptions {
  model: string;
  /** `api_key`. Default: the ANTHROPIC_API_KEY environment variable. */
  apiKey?: string;
  /** `base_url`. Default: ANTHROPIC_BASE_URL, else https://api.anthropic.com. */
  baseUrl?: string;
  /** `max_tokens`. Default 4096. */
  maxTokens?: number;
  /** `anthropic_version`: the `anthropic-version` header; default: the SDK's. */
  anthropicVersion?: string;
  /** Extra headers on every request, e.g. `anthropic-beta`. */
  headers?: Record<string, string>;
  /** Extended thinking, as the API takes it: `{ type: 'enabled', budget_tokens: 2048 }`. */
  thinking?: Record<string, unknown>;
  temperature?: number;
  /** `top_p`. */
  topP?: number;
  /** `top_k`. */
  topK?: number;
  /** `stop_sequences`. */
  stopSequences?: string[];
  metadata?: Record<string, unknown>;
  /** Options reg does not know, sent in the request body as given (BAML does the same). */
  extraBody: Record<string, unknown>;
}

/**
 * BAML client options that shape BAML's prompt rendering, not the request. reg takes cache control
 * from message parts instead, so these are accepted (configs paste unchanged) and never sent.
 */
const BAML_ONLY = ['allowed_role_metadata', 'default_role', 'allowed_roles', 'supports_streaming', 'finish_reason_allow_list', 'finish_reason_deny_list'];

/** Body fields reg sets from each request; a client option for them would be silently overwritten. */
const PER_CALL = ['messages', 'stream', 'system', 'tools', 'tool_choice'];

export function parseAnthropicOptions(raw: Record<string, unknown>, context: ProviderContext): AnthropicOptions {
  const reader = new OptionReader(raw, context);
  const options: AnthropicOptions = {
    // Core reports a missing model; this only checks the type of one that is there.
    model: reader.string('model') ?? '',
    apiKey: reader.string('api_key', { secret: true }),
    baseUrl: reader.string('base_url', { url: true }),
    anthropicVersion: reader.string('anthropic_version'),
    maxTokens: reader.number('max_tokens', { integer: true, min: 1 }),
    temperature: reader.number('temperature', { min: 0, max: 1 }),
    topP: reader.number('top_p', { min: 0, max: 1 }),
    topK: reader.number('top_k', { integer: true, min: 1 }),
    stopSequences: reader.strings('stop_sequences'),
    metadata: reader.record('metadata', '{ user_id: "..." }'),
    headers: readHeaders(reader),
    thinking: readThinking(reader),
    extraBody: {},
  };
  for (const key of BAML_ONLY) reader.has(key);
  for (const key of PER_CALL) {
    if (reader.has(key)) reader.fail(key, 'is set from each request by reg; put it in the request instead of the client options');
  }
  options.extraBody = reader.rest();
  reader.done();
  return options;
}

/** Header values must be strings: a number here is more likely a mistake than a header. */
function readHeaders(reader: OptionReader): Record<string, string> | undefined {
  const headers = reader.record('headers', '{ "anthropic-beta": "prompt-caching-2024-07-31" }');
  if (!headers) return undefined;
  let valid = true;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') continue;
    valid = false;
    reader.fail(`headers.${name}`, `must be a string, not ${describe(value)}`);
  }
  return valid ? (headers as Record<string, string>) : undefined;
}

/** `thinking` goes to the API as given, once its type and budget look right. */
function readThinking(reader: OptionReader): Record<string, unknown> | undefined {
  const thinking = reader.record('thinking', "{ type: 'enabled', budget_tokens: 2048 }");
  if (!thinking) return undefined;
  const issues = reader.issues.length;
  if (typeof thinking.type !== 'string') reader.fail('thinking.type', "must be a string such as 'enabled', 'disabled' or 'adaptive'");
  new OptionReader(thinking, reader.pathOf('thinking'), reader.issues).number('budget_tokens', { integer: true, min: 0, exclusiveMin: true });
  return reader.issues.length === issues ? thinking : undefined;
}
