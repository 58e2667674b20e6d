import { splitText } from '../emulator/stream-frames.js';
import type { Reply, ScriptedToolCall, StreamFrame, StreamPlan } from '../emulator/types.js';
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

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a Messages request the way the API does for what a client can get wrong: required fields,
 * their types and ranges, message shape, tool definitions and tool_use/tool_result pairing.
 * Returns the API's `invalid_request_error` message (naming the field), or undefined when valid.
 */
export function validateMessagesRequest(body: unknown): string | undefined {
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
  return validateSystem(body.system) ?? validateTools(body.tools, body.tool_choice) ?? validateMessages(body.messages);
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

function validateMessages(messages: unknown[]): string | undefined {
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
      if (!isObject(block) || typeof block.type !== 'string') return `${path}.content.${blockIndex}.type: Field required`;
      if (block.type === 'text' && typeof block.text !== 'string') return `${path}.content.${blockIndex}.text.text: Field required`;
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

interface RenderedToolCall {
  id: string;
  name: string;
  /** The exact JSON text streamed in `input_json_delta` fragments. */
  json: string;
  input: unknown;
}

/** A Reply resolved to what both renderings share, so the stream and the JSON answer agree. */
interface RenderedReply {
  id: string;
  model: string;
  text?: string;
  toolCalls: RenderedToolCall[];
  stopReason: string;
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
  };
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

function estimateTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}

/**
 * Resolves a Reply against the request. Reply usage is vendor-neutral, where cached tokens are a
 * subset of input tokens; Anthropic reports `input_tokens` without the cache reads, so the scripted
 * total is split into the two.
 */
export function resolveAnthropicReply(reply: Reply, request: JsonObject): RenderedReply {
  const toolCalls = (reply.toolCalls ?? []).map(renderToolCall);
  const text = reply.text !== undefined && (reply.text.length > 0 || toolCalls.length === 0) ? reply.text : undefined;
  const cachedTokens = reply.usage?.cachedInputTokens ?? 0;
  const promptCharacters = JSON.stringify([request.system ?? '', request.messages, request.tools ?? []]).length;
  const totalInput = reply.usage?.inputTokens ?? estimateTokens(promptCharacters) + cachedTokens;
  const outputCharacters = (text?.length ?? 0) + toolCalls.reduce((sum, call) => sum + call.name.length + call.json.length, 0);
  const finishReason = reply.finishReason ?? (toolCalls.length > 0 ? 'tool-calls' : 'stop');
  return {
    id: anthropicId('msg'),
    model: String(request.model),
    text,
    toolCalls,
    stopReason: STOP_REASONS[finishReason],
    usage: {
      input_tokens: Math.max(0, totalInput - cachedTokens),
      output_tokens: reply.usage?.outputTokens ?? estimateTokens(outputCharacters),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: cachedTokens,
    },
  };
}

function stopDetails(reply: RenderedReply) {
  return reply.stopReason === 'refusal' ? { type: 'refusal', category: null, explanation: null } : null;
}

function messageEnvelope(reply: RenderedReply, content: unknown[], stopReason: string | null, usage: JsonObject) {
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
    usage: {
      ...usage,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      service_tier: 'standard',
    },
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
  const start = messageEnvelope(reply, [], null, { ...reply.usage, output_tokens: 1 });
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
  frames.push(sse('message_delta', { type: 'message_delta', delta: stop, usage: reply.usage }));
  frames.push(sse('message_stop', { type: 'message_stop' }));
  const lastIndex = Math.max(0, blocks.length - 1);
  return {
    frames,
    inBandError: anthropicStreamErrorFrame,
    // An event whose data line breaks off mid-JSON: the SDK's JSON.parse of it throws.
    malformed: () => `event: content_block_delta\ndata: {"type":"content_block_delta","index":${lastIndex},"delta":{"type":\n\n`,
  };
}
