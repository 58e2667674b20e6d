import type { ProviderContext } from '@reg/core';
import { isRecord, OptionReader } from '@reg/provider-utils';
import { BAML_ONLY_OPTIONS } from './openai-chat-options.js';
import { readOpenAIConnectionOptions, type OpenAIAccountOptions, type OpenAIConnectionOptions, type OpenAIConnectionSettings } from './openai-options.js';

/** The options of an `openai-responses` client, validated. */
export interface OpenAIResponsesOptions {
  /** As for provider `openai`: `model`, `api_key`, `base_url`, `organization`, `project`, `headers`, `query_params`. */
  connection: OpenAIConnectionOptions<OpenAIAccountOptions>;
  /**
   * Request defaults in the Responses API's own names (`max_output_tokens`, `reasoning`, `text`,
   * ...), plus every option reg does not know, which passes through into the body as BAML does.
   */
  body: Record<string, unknown>;
}

const REASONING_SUMMARIES = ['auto', 'concise', 'detailed'] as const;
const TOKEN_LIMIT_NAMES = ['max_output_tokens', 'max_tokens', 'max_completion_tokens'] as const;

/**
 * Validates what reg can check and leaves the rest to the vendor. Chat Completions spellings
 * users bring along (`max_tokens`, `reasoning_effort`, `response_format`) are translated to the
 * Responses API's names, so a client can switch provider without rewriting its options.
 */
export function parseOpenAIResponsesOptions(
  raw: Record<string, unknown>,
  context: ProviderContext,
  settings: OpenAIConnectionSettings<OpenAIAccountOptions>,
): OpenAIResponsesOptions {
  const reader = new OptionReader(raw, context);
  const connection = readOpenAIConnectionOptions(reader, context, settings);
  const body: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) body[key] = value;
  };

  set('temperature', reader.number('temperature', { min: 0, max: 2 }));
  set('top_p', reader.number('top_p', { min: 0, max: 1 }));
  set('max_output_tokens', readTokenLimit(reader));
  set('reasoning', readReasoning(reader));
  set('text', readText(reader));
  set('instructions', reader.string('instructions'));
  set('store', reader.boolean('store'));
  set('parallel_tool_calls', reader.boolean('parallel_tool_calls'));
  set('previous_response_id', reader.string('previous_response_id'));
  set('truncation', reader.oneOf('truncation', ['auto', 'disabled'] as const));
  set('max_tool_calls', reader.number('max_tool_calls', { min: 1, integer: true }));
  set('top_logprobs', reader.number('top_logprobs', { min: 0, max: 20, integer: true }));
  set('metadata', reader.record('metadata'));
  // Built-in tools (web_search, file_search, ...) are the vendor's to validate; only the list shape is ours.
  const tools = reader.raw('tools')?.value;
  if (Array.isArray(tools)) set('tools', tools);
  else if (tools !== undefined) reader.fail('tools', 'must be a list of tools (e.g. [{ type: web_search }])');
  for (const key of ['stream', 'input'] as const) {
    if (reader.has(key)) reader.fail(key, key === 'stream' ? 'is chosen per call (generate or stream), not per client' : "comes from each request's messages");
  }
  if (reader.has('stop')) reader.fail('stop', 'is not supported by the Responses API; remove it or use provider openai');
  // Pasted BAML configs carry these for BAML's own prompt handling; the API would reject them.
  for (const key of BAML_ONLY_OPTIONS) reader.has(key);
  reader.done();
  return { connection, body: { ...reader.rest(), ...body } };
}

/** `max_output_tokens`, or the Chat Completions names for it; two of them would be ambiguous. */
function readTokenLimit(reader: OptionReader): number | undefined {
  const given = TOKEN_LIMIT_NAMES.filter((name) => reader.has(name));
  if (given.length > 1) {
    reader.fail(given[1] ?? '', `conflicts with ${given[0]}; give only max_output_tokens`);
    return undefined;
  }
  const name = given[0];
  return name ? reader.number(name, { min: 1, integer: true }) : undefined;
}

/** `reasoning: { effort, summary }`, with `reasoning_effort` as the Chat Completions shorthand for its effort. */
function readReasoning(reader: OptionReader): Record<string, unknown> | undefined {
  const reasoning = reader.record('reasoning');
  const shorthand = reader.string('reasoning_effort');
  if (!reasoning) return shorthand === undefined ? undefined : { effort: shorthand };
  const { effort, summary } = reasoning;
  if (effort !== undefined && effort !== null && typeof effort !== 'string') {
    reader.fail('reasoning.effort', `must be a string such as 'low', 'medium' or 'high', not ${JSON.stringify(effort)}`);
  }
  if (summary !== undefined && summary !== null && !(REASONING_SUMMARIES as readonly unknown[]).includes(summary)) {
    reader.fail('reasoning.summary', `must be one of ${REASONING_SUMMARIES.map((item) => `'${item}'`).join(', ')}, not ${JSON.stringify(summary)}`);
  }
  if (shorthand === undefined) return reasoning;
  if (typeof effort === 'string' && effort !== shorthand) {
    reader.fail('reasoning_effort', `conflicts with reasoning.effort ('${effort}'); give one of them`);
  }
  return { ...reasoning, effort: shorthand };
}

/** `text` (the Responses API's output settings), or `response_format` in its Chat Completions shape. */
function readText(reader: OptionReader): Record<string, unknown> | undefined {
  const text = reader.record('text');
  if (text?.format !== undefined && !(isRecord(text.format) && typeof text.format.type === 'string')) {
    reader.fail('text.format', "must be an object with a type ('text', 'json_object' or 'json_schema')");
  }
  const responseFormat = reader.record('response_format');
  if (!responseFormat) return text;
  if (text?.format !== undefined) {
    reader.fail('response_format', 'conflicts with text.format; give only text.format');
    return text;
  }
  const format = formatFromResponseFormat(responseFormat);
  if (!format) {
    reader.fail('response_format', "must be { type: 'text' }, { type: 'json_object' } or { type: 'json_schema', json_schema: { name, schema } }");
    return text;
  }
  return { ...text, format };
}

function formatFromResponseFormat(responseFormat: Record<string, unknown>): Record<string, unknown> | undefined {
  switch (responseFormat.type) {
    case 'text':
    case 'json_object':
      return { type: responseFormat.type };
    case 'json_schema': {
      const schema = responseFormat.json_schema;
      if (!isRecord(schema) || typeof schema.name !== 'string' || !isRecord(schema.schema)) return undefined;
      // The Responses API flattens Chat Completions' `json_schema` object into the format itself.
      return { type: 'json_schema', ...schema };
    }
    default:
      return undefined;
  }
}
