import { usageOf } from '../emulator/serve-outcome.js';
import { splitText } from '../emulator/stream-frames.js';
import type { RecordedRequest, Reply, ScriptedToolCall, StreamFrame, StreamPlan } from '../emulator/types.js';
import { anthropicId, anthropicStreamErrorFrame } from './anthropic-errors.js';

type JsonObject = Record<string, unknown>;

const STOP_REASONS: Record<NonNullable<Reply['finishReason']>, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
};

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const TOOL_CHOICE_TYPES = ['auto', 'any', 'tool', 'none'];

/** The content block types of a request (the SDK's `ContentBlockParam`), in the order the API lists tags. */
const BLOCK_TYPES = [
  'bash_code_execution_tool_result',
  'code_execution_tool_result',
  'container_upload',
  'document',
  'image',
  'redacted_thinking',
  'search_result',
  'server_tool_use',
  'text',
  'text_editor_code_execution_tool_result',
  'thinking',
  'tool_result',
  'tool_search_tool_result',
  'tool_use',
  'web_fetch_tool_result',
  'web_search_tool_result',
];

/** A document's `source` types; `file` (a Files API id) only with the files beta. */
const DOCUMENT_SOURCE_TYPES = ['base64', 'content', 'text', 'url'];
const BETA_DOCUMENT_SOURCE_TYPES = ['base64', 'content', 'file', 'text', 'url'];

const quoted = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');
const unknownTag = (path: string, tag: unknown, tags: readonly string[]) =>
  `${path}: Input tag '${String(tag)}' found using 'type' does not match any of the expected tags: ${quoted(tags)}`;

/** What the request's headers change in validation: any `anthropic-beta` opens block and source types of its own. */
export interface MessagesRequestFeatures {
  betas: readonly string[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a Messages request the way the API does for what a client can get wrong: required fields,
 * their types and ranges, message shape, tool definitions and tool_use/tool_result pairing.
 * Returns the API's `invalid_request_error` message (naming the field), or undefined when valid.
 */
export function validateMessagesRequest(body: unknown, features: MessagesRequestFeatures = { betas: [] }): string | undefined {
  if (!isObject(body)) return 'Request body must be a JSON object.';
  if (body.model === undefined) return 'model: Field required';
  if (typeof body.model !== 'string' || body.model.length === 0) return 'model: Input should be a valid string';
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) {
    return 'max_tokens: Input should be a valid integer';
  }
  if (body.max_tokens < 1) return 'max_tokens: Input should be greater than or equal to 1';
  if (body.messages === undefined) return 'messages: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Input should be a valid list';
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return 'stream: Input should be a valid boolean';
  for (const name of ['temperature', 'top_p'] as const) {
    const value = body[name];
    if (value === undefined) continue;
    if (typeof value !== 'number') return `${name}: Input should be a valid number`;
    if (value < 0) return `${name}: Input should be greater than or equal to 0`;
    if (value > 1) return `${name}: Input should be less than or equal to 1`;
  }
  return validateSystem(body.system) ?? validateTools(body.tools, body.tool_choice) ?? validateMessages(body.messages, features);
}

function validateSystem(system: unknown): string | undefined {
  if (system === undefined || typeof system === 'string') return undefined;
  if (!Array.isArray(system)) return 'system: Input should be a valid string or a list of text blocks';
  for (const [index, block] of system.entries()) {
    if (!isObject(block) || block.type !== 'text') return `system.${index}.type: Input should be 'text'`;
    if (typeof block.text !== 'string') return `system.${index}.text: Field required`;
  }
  return undefined;
}

function validateTools(tools: unknown, toolChoice: unknown): string | undefined {
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
    for (const [index, tool] of tools.entries()) {
      if (!isObject(tool)) return `tools.${index}: Input should be a valid dictionary`;
      // Server tools (web_search_20250305, ...) carry a versioned `type`; only custom tools have a schema.
      if (tool.type !== undefined && tool.type !== 'custom') continue;
      if (typeof tool.name !== 'string') return `tools.${index}.custom.name: Field required`;
      if (!TOOL_NAME.test(tool.name)) return `tools.${index}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`;
      if (tool.input_schema === undefined) return `tools.${index}.custom.input_schema: Field required`;
      if (!isObject(tool.input_schema) || tool.input_schema.type !== 'object') {
        return `tools.${index}.custom.input_schema.type: Input should be 'object'`;
      }
    }
  }
  if (toolChoice !== undefined) {
    const type = isObject(toolChoice) ? String(toolChoice.type) : '';
    if (!TOOL_CHOICE_TYPES.includes(type)) {
      return `tool_choice: Input tag '${type}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`;
    }
    if (type === 'tool' && typeof (toolChoice as JsonObject).name !== 'string') return 'tool_choice.tool.name: Field required';
  }
  return undefined;
}

/** The `key` values of the content blocks of one type. */
function blockValues(blocks: unknown[], type: string, key: string): string[] {
  return blocks
    .filter((block): block is JsonObject => isObject(block) && block.type === type)
    .map((block) => String(block[key]));
}

function validateMessages(messages: unknown[], features: MessagesRequestFeatures): string | undefined {
  if (messages.length === 0) return 'messages: at least one message is required';
  let pendingToolUseIds: string[] = [];
  for (const [index, message] of messages.entries()) {
    const path = `messages.${index}`;
    if (!isObject(message)) return `${path}: Input should be a valid dictionary`;
    if (message.role !== 'user' && message.role !== 'assistant') return `${path}.role: Input should be 'user' or 'assistant'`;
    const { content } = message;
    if (content === undefined) return `${path}.content: Field required`;
    if (typeof content !== 'string' && !Array.isArray(content)) {
      return `${path}.content: Input should be a valid string or a list of content blocks`;
    }
    const isFinalAssistant = index === messages.length - 1 && message.role === 'assistant';
    if (content.length === 0 && !isFinalAssistant) {
      return `${path}: all messages must have non-empty content except for the optional final assistant message`;
    }
    const blocks: unknown[] = Array.isArray(content) ? content : [];
    for (const [blockIndex, block] of blocks.entries()) {
      const invalid = validateBlock(block, `${path}.content.${blockIndex}`, features);
      if (invalid) return invalid;
    }
    const resultIds = blockValues(blocks, 'tool_result', 'tool_use_id');
    const unexpected = resultIds.filter((id) => !pendingToolUseIds.includes(id));
    if (unexpected.length > 0) {
      const blockIndex = blocks.findIndex((block) => isObject(block) && block.type === 'tool_result');
      return (
        `${path}.content.${blockIndex}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(', ')}. ` +
        'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.'
      );
    }
    const unanswered = pendingToolUseIds.filter((id) => !resultIds.includes(id));
    if (unanswered.length > 0) {
      return (
        `messages.${index - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${unanswered.join(', ')}. ` +
        'Each `tool_use` block must have a corresponding `tool_result` block in the next message.'
      );
    }
    pendingToolUseIds = message.role === 'assistant' ? blockValues(blocks, 'tool_use', 'id') : [];
  }
  return undefined;
}

function validateBlock(block: unknown, path: string, features: MessagesRequestFeatures): string | undefined {
  if (!isObject(block) || typeof block.type !== 'string') return `${path}.type: Field required`;
  // A beta (an `anthropic-beta` header) brings block types of its own: mcp_tool_use, compaction, ...
  if (!BLOCK_TYPES.includes(block.type) && features.betas.length === 0) return unknownTag(path, block.type, BLOCK_TYPES);
  if (block.type === 'text' && typeof block.text !== 'string') return `${path}.text.text: Field required`;
  if (block.type === 'document') return validateDocument(block, path, features);
  return undefined;
}

/**
 * A `document` block as the API checks it: a PDF as base64 (which must be a PDF) or by URL, plain
 * text as text, custom content, or (files beta) a Files API id; title and context are strings.
 */
function validateDocument(block: JsonObject, path: string, features: MessagesRequestFeatures): string | undefined {
  const { source } = block;
  if (source === undefined) return `${path}.document.source: Field required`;
  if (!isObject(source)) return `${path}.document.source: Input should be a valid dictionary`;
  const filesBeta = features.betas.some((beta) => beta.startsWith('files-api-'));
  const tags = filesBeta ? BETA_DOCUMENT_SOURCE_TYPES : DOCUMENT_SOURCE_TYPES;
  if (typeof source.type !== 'string' || !tags.includes(source.type)) return unknownTag(`${path}.document.source`, source.type, tags);
  const at = `${path}.document.source.${source.type}`;
  const field = (name: string, expected?: string): string | undefined => {
    const value = source[name];
    if (value === undefined) return `${at}.${name}: Field required`;
    if (typeof value !== 'string') return `${at}.${name}: Input should be a valid string`;
    if (expected !== undefined && value !== expected) return `${at}.${name}: Input should be '${expected}'`;
    return undefined;
  };
  let invalid: string | undefined;
  switch (source.type) {
    case 'base64':
      invalid = field('media_type', 'application/pdf') ?? field('data') ?? validatePdf(String(source.data), path);
      break;
    case 'text':
      invalid = field('media_type', 'text/plain') ?? field('data');
      break;
    case 'url':
      invalid = field('url');
      break;
    case 'file':
      invalid = field('file_id');
      break;
    case 'content':
      if (typeof source.content !== 'string' && !Array.isArray(source.content)) invalid = `${at}.content: Field required`;
      break;
  }
  if (invalid) return invalid;
  for (const name of ['title', 'context'] as const) {
    if (block[name] !== undefined && block[name] !== null && typeof block[name] !== 'string') return `${path}.document.${name}: Input should be a valid string`;
  }
  return undefined;
}

/** The API opens the PDF: empty data, or data that is not a PDF, is refused in these words (under `pdf.`). */
function validatePdf(base64: string, path: string): string | undefined {
  if (base64 === '') return `${path}.pdf.source.base64.data: PDF cannot be empty`;
  if (Buffer.from(base64.slice(0, 8), 'base64').toString('latin1', 0, 5) !== '%PDF-') {
    return `${path}.pdf.source.base64.data: The PDF specified was not valid.`;
  }
  return undefined;
}

interface RenderedToolCall {
  id: string;
  name: string;
  /** The exact JSON text streamed in `input_json_delta` fragments. */
  json: string;
  input: unknown;
}

/** Token counts in Anthropic's fields and arithmetic (see resolveAnthropicReply). */
interface AnthropicCounts {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** Reported by newer models; null where the script gives no reasoning tokens, as older models send it. */
  output_tokens_details: { thinking_tokens: number } | null;
}

/** A Reply resolved to what both renderings share, so the stream and the JSON answer agree. */
interface RenderedReply {
  id: string;
  model: string;
  text?: string;
  toolCalls: RenderedToolCall[];
  stopReason: string;
  usage: AnthropicCounts;
}

function renderToolCall(call: ScriptedToolCall): RenderedToolCall {
  const json = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
  let input: unknown = call.arguments;
  if (typeof call.arguments === 'string') {
    try {
      input = JSON.parse(call.arguments);
    } catch {
      // Scripted on purpose as broken JSON: hand it over unparsed so the client sees the defect.
      input = call.arguments;
    }
  }
  return { id: call.id ?? anthropicId('toolu'), name: call.name, json, input };
}

/**
 * Resolves a Reply against the request. Scripted usage is in reg's meaning, where inputTokens is all
 * input; Anthropic's `input_tokens` leaves out the cache reads and writes, so the scripted total is
 * split into the three (an estimated total is taken as the uncached part). Its `output_tokens`
 * includes thinking, as reg's outputTokens does; `output_tokens_details.thinking_tokens` is their part.
 */
export function resolveAnthropicReply(reply: Reply, request: RecordedRequest): RenderedReply {
  const toolCalls = (reply.toolCalls ?? []).map(renderToolCall);
  const text = reply.text !== undefined && (reply.text.length > 0 || toolCalls.length === 0) ? reply.text : undefined;
  const usage = usageOf(reply, request);
  const cached = usage.cachedInputTokens + usage.cacheWriteInputTokens;
  const finishReason = reply.finishReason ?? (toolCalls.length > 0 ? 'tool-calls' : 'stop');
  return {
    id: anthropicId('msg'),
    model: String((request.body as JsonObject).model),
    text,
    toolCalls,
    stopReason: STOP_REASONS[finishReason],
    usage: {
      input_tokens: reply.usage?.inputTokens === undefined ? usage.inputTokens : Math.max(0, usage.inputTokens - cached),
      output_tokens: usage.outputTokens,
      cache_creation_input_tokens: usage.cacheWriteInputTokens,
      cache_read_input_tokens: usage.cachedInputTokens,
      output_tokens_details: reply.usage?.reasoningTokens === undefined ? null : { thinking_tokens: usage.reasoningTokens },
    },
  };
}

function stopDetails(reply: RenderedReply) {
  return reply.stopReason === 'refusal' ? { type: 'refusal', category: null, explanation: null } : null;
}

/** A Message's `usage`: the counts, the cache writes by TTL (scripted writes count as the default 5 minutes), the tier. */
function messageUsage(counts: AnthropicCounts) {
  return {
    input_tokens: counts.input_tokens,
    cache_creation_input_tokens: counts.cache_creation_input_tokens,
    cache_read_input_tokens: counts.cache_read_input_tokens,
    cache_creation: { ephemeral_5m_input_tokens: counts.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: counts.output_tokens,
    output_tokens_details: counts.output_tokens_details,
    server_tool_use: null,
    service_tier: 'standard',
  };
}

function messageEnvelope(reply: RenderedReply, content: unknown[], stopReason: string | null, usage: AnthropicCounts) {
  return {
    id: reply.id,
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: stopReason === null ? null : stopDetails(reply),
    container: null,
    usage: messageUsage(usage),
  };
}

/** The non-streamed Message object. */
export function anthropicMessageBody(reply: RenderedReply) {
  const content: unknown[] = [];
  if (reply.text !== undefined) content.push({ type: 'text', text: reply.text, citations: null });
  for (const call of reply.toolCalls) {
    content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input, caller: { type: 'direct' } });
  }
  return messageEnvelope(reply, content, reply.stopReason, reply.usage);
}

function sse(event: string, data: JsonObject, content = false): StreamFrame {
  return { data: `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`, content };
}

const blockStart = (index: number, block: JsonObject) =>
  sse('content_block_start', { type: 'content_block_start', index, content_block: block });
const blockDelta = (index: number, delta: JsonObject, content: boolean) =>
  sse('content_block_delta', { type: 'content_block_delta', index, delta }, content);
const blockStop = (index: number) => sse('content_block_stop', { type: 'content_block_stop', index });

/**
 * The SSE event sequence of a streamed Message: message_start (empty content), a ping, then per
 * block content_block_start / content_block_delta... / content_block_stop, message_delta with the
 * stop reason and final usage, message_stop. Only the deltas are content parts for faults.
 */
export function anthropicStreamPlan(reply: RenderedReply, options: { chunkSize?: number }): StreamPlan {
  // message_start counts the input and a first output token; message_delta carries the final, cumulative counts.
  const start = messageEnvelope(reply, [], null, { ...reply.usage, output_tokens: 1, output_tokens_details: null });
  const frames: StreamFrame[] = [sse('message_start', { type: 'message_start', message: start })];
  const ping = sse('ping', { type: 'ping' });
  const blocks: { start: JsonObject; deltas: JsonObject[] }[] = [];
  if (reply.text !== undefined) {
    const deltas = splitText(reply.text, options.chunkSize).map((text) => ({ type: 'text_delta', text }));
    blocks.push({ start: { type: 'text', text: '', citations: null }, deltas });
  }
  for (const call of reply.toolCalls) {
    const fragments = splitText(call.json, options.chunkSize).map((partial_json) => ({ type: 'input_json_delta', partial_json }));
    const start = { type: 'tool_use', id: call.id, name: call.name, input: {}, caller: { type: 'direct' } };
    blocks.push({ start, deltas: fragments });
  }
  for (const [index, block] of blocks.entries()) {
    frames.push(blockStart(index, block.start));
    // The API pings once early, right after the first block opens.
    if (index === 0) frames.push(ping);
    // It opens every tool input with an empty fragment; that carries nothing, so it is not a content part.
    if (block.start.type === 'tool_use') frames.push(blockDelta(index, { type: 'input_json_delta', partial_json: '' }, false));
    for (const delta of block.deltas) frames.push(blockDelta(index, delta, true));
    frames.push(blockStop(index));
  }
  if (blocks.length === 0) frames.push(ping);
  const stop = { stop_reason: reply.stopReason, stop_sequence: null, stop_details: stopDetails(reply), container: null };
  frames.push(sse('message_delta', { type: 'message_delta', delta: stop, usage: { ...reply.usage, server_tool_use: null } }));
  frames.push(sse('message_stop', { type: 'message_stop' }));
  const lastIndex = Math.max(0, blocks.length - 1);
  return {
    frames,
    inBandError: anthropicStreamErrorFrame,
    // An event whose data line breaks off mid-JSON: the SDK's JSON.parse of it throws.
    malformed: () => `event: content_block_delta\ndata: {"type":"content_block_delta","index":${lastIndex},"delta":{"type":\n\n`,
  };
}
