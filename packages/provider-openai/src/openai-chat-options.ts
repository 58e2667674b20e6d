import type { OptionReader } from '@reg/provider-utils';

/** Which body field carries the token limit: OpenAI's current name, or the one compatible servers know. */
export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

/**
 * Request defaults a Chat Completions client's options give (the request wins), plus the options
 * reg does not know, which go into the body as they are.
 */
export interface ChatSettings {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  /** Set when the options named a field; otherwise the provider's default field is used. */
  maxTokensField?: MaxTokensField;
  stop?: string[];
  seed?: number;
  responseFormat?: Record<string, unknown>;
  reasoningEffort?: string;
  /** Unknown options, sent in the body untouched (`frequency_penalty`, `logit_bias`, `user`, ...). */
  passthrough: Record<string, unknown>;
}

/** BAML client options that shape BAML's own prompt handling; accepted so pasted configs work, never sent. */
export const BAML_ONLY_OPTIONS = [
  'allowed_role_metadata',
  'allowed_roles',
  'default_role',
  'supported_request_modes',
  'finish_reason_allow_list',
  'finish_reason_deny_list',
  'client_response_type',
] as const;

/** Body fields reg sets for every call; a client option cannot override them. */
const RESERVED_BODY_FIELDS = ['messages', 'stream'] as const;

/** Checked for their type only; they still travel in the body under their own names. */
const CHECKED_PASSTHROUGH = ['frequency_penalty', 'presence_penalty', 'parallel_tool_calls'] as const;

/** Reads the request options of the Chat Completions providers; call after the connection options. */
export function readChatSettings(reader: OptionReader): ChatSettings {
  const maxTokens = reader.number('max_tokens', { integer: true, min: 1 });
  const maxCompletionTokens = reader.number('max_completion_tokens', { integer: true, min: 1 });
  if (maxTokens !== undefined && maxCompletionTokens !== undefined) {
    reader.fail('max_completion_tokens', 'cannot be combined with max_tokens: give one of them');
  }
  const settings: ChatSettings = {
    temperature: reader.number('temperature', { min: 0, max: 2 }),
    topP: reader.number('top_p', { min: 0, max: 1 }),
    maxTokens: maxCompletionTokens ?? maxTokens,
    maxTokensField: maxCompletionTokens !== undefined ? 'max_completion_tokens' : maxTokens !== undefined ? 'max_tokens' : undefined,
    stop: reader.strings('stop', { orOne: true }),
    seed: reader.number('seed', { integer: true }),
    responseFormat: readResponseFormat(reader),
    reasoningEffort: reader.string('reasoning_effort'),
    passthrough: {},
  };
  reader.number('frequency_penalty', { min: -2, max: 2 });
  reader.number('presence_penalty', { min: -2, max: 2 });
  reader.boolean('parallel_tool_calls');
  for (const key of RESERVED_BODY_FIELDS) {
    if (reader.has(key)) reader.fail(key, 'is set by reg for each call and cannot be a client option');
  }
  for (const key of BAML_ONLY_OPTIONS) reader.has(key);
  settings.passthrough = reader.rest();
  for (const key of CHECKED_PASSTHROUGH) {
    const found = reader.raw(key);
    if (found) settings.passthrough[key] = found.value;
  }
  return settings;
}

function readResponseFormat(reader: OptionReader): Record<string, unknown> | undefined {
  const format = reader.record('response_format');
  if (format && typeof format.type !== 'string') {
    reader.fail('response_format.type', "is required: 'text', 'json_object' or 'json_schema'");
    return undefined;
  }
  return format;
}
