import { randomBytes } from 'node:crypto';
import { splitText } from '../emulator/stream-frames.js';
import type { Reply, ScriptedToolCall, StreamFrame, StreamPlan } from '../emulator/types.js';
import { bedrockStreamException } from './bedrock-errors.js';
import { corruptMessageChecksum, encodeEvent, encodeException } from './bedrock-event-stream.js';

/** The parts of a Converse / ConverseStream request body the emulator reads. */
export interface ConverseRequest {
  messages: Array<{ role: 'user' | 'assistant'; content: Array<Record<string, unknown>> }>;
  system?: Array<Record<string, unknown>>;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools: Array<Record<string, unknown>>; toolChoice?: Record<string, unknown> };
  additionalModelRequestFields?: unknown;
}

export type ConverseValidation = { ok: true; request: ConverseRequest } | { ok: false; message: string };

type StopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence' | 'content_filtered' | 'guardrail_intervened';

const STOP_REASONS: Record<NonNullable<Reply['finishReason']>, StopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'content_filtered',
};

const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Validates a request body the way the service does for what an SDK caller can get wrong; the
 * messages are Bedrock's own (`1 validation error detected: ...` for constraint violations, with
 * 1-based list positions, and plain sentences for the conversation rules).
 */
export function validateConverseRequest(body: unknown): ConverseValidation {
  const fail = (message: string): ConverseValidation => ({ ok: false, message });
  const constraint = (value: unknown, path: string, rule: string) =>
    fail(`1 validation error detected: Value '${typeof value === 'string' ? value : JSON.stringify(value)}' at '${path}' failed to satisfy constraint: ${rule}`);
  if (!isRecord(body)) return fail('Malformed input request, please reformat your input and try again.');
  const messages = body.messages;
  if (messages !== undefined && !Array.isArray(messages)) return fail('Malformed input request: messages must be a list.');
  if (!Array.isArray(messages) || messages.length === 0) {
    return fail('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  }
  let usesTools = false;
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message)) return fail(`Malformed input request: messages.${index} must be an object.`);
    if (message.role !== 'user' && message.role !== 'assistant') {
      return constraint(message.role ?? null, `messages.${index + 1}.member.role`, 'Member must satisfy enum value set: [user, assistant]');
    }
    if (!Array.isArray(message.content) || message.content.length === 0) {
      return fail(`The content field in the Message object at messages.${index} is empty. Add a ContentBlock object to the content field and try again.`);
    }
    for (const block of message.content) {
      if (!isRecord(block) || Object.keys(block).length !== 1) {
        return fail(`Malformed input request: each ContentBlock in messages.${index}.content must set exactly one member.`);
      }
      if ('toolUse' in block || 'toolResult' in block) usesTools = true;
    }
  }
  if (messages[0].role !== 'user') {
    return fail('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  }
  for (let index = 1; index < messages.length; index++) {
    if (messages[index].role === messages[index - 1].role) {
      return fail('A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.');
    }
  }
  if (body.system !== undefined && !Array.isArray(body.system)) return fail('Malformed input request: system must be a list.');

  const inference = body.inferenceConfig;
  if (inference !== undefined) {
    if (!isRecord(inference)) return fail('Malformed input request: inferenceConfig must be an object.');
    const { maxTokens, temperature, topP, stopSequences } = inference;
    if (maxTokens !== undefined && (typeof maxTokens !== 'number' || maxTokens < 1)) {
      return constraint(maxTokens, 'inferenceConfig.maxTokens', 'Member must have value greater than or equal to 1');
    }
    for (const [name, value] of [['temperature', temperature], ['topP', topP]] as const) {
      if (value === undefined) continue;
      if (typeof value !== 'number' || value < 0) return constraint(value, `inferenceConfig.${name}`, 'Member must have value greater than or equal to 0');
      if (value > 1) return constraint(value, `inferenceConfig.${name}`, 'Member must have value less than or equal to 1');
    }
    if (stopSequences !== undefined && (!Array.isArray(stopSequences) || stopSequences.some((sequence) => typeof sequence !== 'string' || sequence.length === 0))) {
      return constraint(stopSequences, 'inferenceConfig.stopSequences', 'Member must satisfy constraint: [Member must have length greater than or equal to 1]');
    }
  }

  const toolConfig = body.toolConfig;
  if (toolConfig !== undefined) {
    if (!isRecord(toolConfig) || !Array.isArray(toolConfig.tools)) return fail('Malformed input request: toolConfig.tools must be a list.');
    if (toolConfig.tools.length === 0) return constraint([], 'toolConfig.tools', 'Member must have length greater than or equal to 1');
    for (const [index, tool] of toolConfig.tools.entries()) {
      if (!isRecord(tool)) return fail(`Malformed input request: toolConfig.tools.${index} must be an object.`);
      if (!isRecord(tool.toolSpec)) continue;
      const { name, inputSchema } = tool.toolSpec;
      if (typeof name !== 'string' || !TOOL_NAME_PATTERN.test(name)) {
        return constraint(name ?? null, `toolConfig.tools.${index + 1}.member.toolSpec.name`, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+');
      }
      if (!isRecord(inputSchema) || inputSchema.json === undefined) {
        return fail(`The json field of the inputSchema for tool ${name} must be defined.`);
      }
    }
  } else if (usesTools) {
    return fail('The toolConfig field must be defined when using toolUse and toolResult content blocks.');
  }
  return { ok: true, request: body as unknown as ConverseRequest };
}

interface RenderOptions {
  reply: Reply;
  request: ConverseRequest;
  /** `performance.now()` when the request arrived, for `metrics.latencyMs`. */
  receivedAt: number;
}

/** The Converse response body. */
export function renderConverseResponse(options: RenderOptions): Record<string, unknown> {
  const { reply, request } = options;
  const toolCalls = resolveToolCalls(reply.toolCalls);
  const content: Array<Record<string, unknown>> = [];
  if (reply.text || toolCalls.length === 0) content.push({ text: reply.text ?? '' });
  for (const call of toolCalls) content.push({ toolUse: { toolUseId: call.id, name: call.name, input: call.inputValue } });
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: stopReason(reply),
    usage: usage(reply, request, toolCalls),
    metrics: { latencyMs: elapsedMs(options.receivedAt) },
  };
}

/**
 * The ConverseStream events: messageStart; text deltas (Bedrock sends no contentBlockStart for a
 * text block); for each tool call a contentBlockStart with its id and name, then the input JSON in
 * fragments; contentBlockStop after each block; messageStop; metadata. Every payload but
 * metadata carries the varying-length `p` padding field the service adds against length analysis.
 */
export function converseStreamPlan(options: RenderOptions & { chunkSize?: number }): StreamPlan {
  const { reply, request } = options;
  const toolCalls = resolveToolCalls(reply.toolCalls);
  const frames: StreamFrame[] = [];
  const event = (type: string, body: Record<string, unknown>, content = false) =>
    frames.push({ data: encodeEvent(type, { ...body, p: padding(frames.length) }), content });

  event('messageStart', { role: 'assistant' });
  let blockIndex = 0;
  const textParts = splitText(reply.text ?? '', options.chunkSize);
  if (textParts.length > 0) {
    for (const part of textParts) event('contentBlockDelta', { contentBlockIndex: blockIndex, delta: { text: part } }, true);
    event('contentBlockStop', { contentBlockIndex: blockIndex });
    blockIndex++;
  }
  for (const call of toolCalls) {
    event('contentBlockStart', { contentBlockIndex: blockIndex, start: { toolUse: { toolUseId: call.id, name: call.name } } });
    for (const fragment of splitText(call.inputJson, options.chunkSize)) {
      event('contentBlockDelta', { contentBlockIndex: blockIndex, delta: { toolUse: { input: fragment } } }, true);
    }
    event('contentBlockStop', { contentBlockIndex: blockIndex });
    blockIndex++;
  }
  event('messageStop', { stopReason: stopReason(reply) });
  // Encoded when written, so latencyMs covers the whole stream, as the service reports it.
  frames.push({
    get data() {
      return encodeEvent('metadata', { usage: usage(reply, request, toolCalls), metrics: { latencyMs: elapsedMs(options.receivedAt) } });
    },
  });

  return {
    frames,
    inBandError: (fault) => {
      const exception = bedrockStreamException(fault);
      return encodeException(exception.exceptionType, exception.body);
    },
    malformed: () =>
      corruptMessageChecksum(encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'corrupted' }, p: padding(0) })),
  };
}

interface ResolvedToolCall {
  id: string;
  name: string;
  /** The input as the stream sends it: JSON text. */
  inputJson: string;
  /** The input as Converse returns it: a JSON document. */
  inputValue: unknown;
}

function resolveToolCalls(calls: ScriptedToolCall[] | undefined): ResolvedToolCall[] {
  return (calls ?? []).map((call) => {
    const inputJson = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    return { id: call.id ?? toolUseId(), name: call.name, inputJson, inputValue: parseDocument(inputJson) };
  });
}

/** Converse's tool input is a document; text that is not JSON is returned as a string document. */
function parseDocument(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function stopReason(reply: Reply): StopReason {
  return STOP_REASONS[reply.finishReason ?? (reply.toolCalls?.length ? 'tool-calls' : 'stop')];
}

/**
 * Bedrock reports cache reads apart from `inputTokens` (like Anthropic), while the scripted
 * `inputTokens` includes them; `totalTokens` adds all of them up.
 */
function usage(reply: Reply, request: ConverseRequest, toolCalls: ResolvedToolCall[]): Record<string, number> {
  const cached = reply.usage?.cachedInputTokens ?? 0;
  const input = reply.usage?.inputTokens ?? estimateTokens(requestCharacters(request));
  const output =
    reply.usage?.outputTokens ?? estimateTokens((reply.text ?? '').length + toolCalls.reduce((sum, call) => sum + call.name.length + call.inputJson.length, 0));
  const inputTokens = Math.max(0, input - cached);
  return {
    inputTokens,
    outputTokens: output,
    totalTokens: inputTokens + output + cached,
    cacheReadInputTokens: cached,
    cacheWriteInputTokens: 0,
  };
}

function requestCharacters(request: ConverseRequest): number {
  let characters = 0;
  const visit = (value: unknown): void => {
    if (typeof value === 'string') characters += value.length;
    else if (Array.isArray(value)) value.forEach(visit);
    else if (isRecord(value)) Object.values(value).forEach(visit);
  };
  visit(request.system);
  visit(request.messages);
  visit(request.toolConfig);
  return characters;
}

function estimateTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}

function elapsedMs(since: number): number {
  return Math.max(0, Math.round(performance.now() - since));
}

/** Bedrock's ids look like `tooluse_` and 22 URL-safe characters. */
function toolUseId(): string {
  return `tooluse_${randomBytes(16).toString('base64url').slice(0, 22)}`;
}

const PADDING_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function padding(seed: number): string {
  return PADDING_ALPHABET.slice(0, 1 + ((seed * 17 + 5) % PADDING_ALPHABET.length));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
