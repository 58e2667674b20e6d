import { randomBytes } from 'node:crypto';
import { splitText } from '../emulator/stream-frames.js';
import type { Reply, ReplyUsage, ScriptedToolCall, StreamFrame, StreamPlan } from '../emulator/types.js';
import { bedrockStreamException } from './bedrock-errors.js';
import { corruptMessageChecksum, encodeEvent, encodeException } from './bedrock-event-stream.js';

export type ConverseValidation = { ok: true } | { ok: false; message: string };

type StopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence' | 'content_filtered' | 'guardrail_intervened';

const STOP_REASONS: Record<NonNullable<Reply['finishReason']>, StopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'content_filtered',
};

const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** The members of Converse's ContentBlock union (the SDK's `ContentBlock`); any other key is refused. */
const CONTENT_BLOCK_MEMBERS = new Set([
  'text',
  'image',
  'document',
  'video',
  'audio',
  'toolUse',
  'toolResult',
  'guardContent',
  'cachePoint',
  'reasoningContent',
  'citationsContent',
  'searchResult',
  'toolAddition',
  'toolRemoval',
]);

/** DocumentBlock `format`, in the order the API reference lists it. */
const DOCUMENT_FORMATS = ['pdf', 'csv', 'doc', 'docx', 'xls', 'xlsx', 'html', 'txt', 'md'];

/** The members of the DocumentSource union. */
const DOCUMENT_SOURCES = new Set(['bytes', 's3Location', 'text', 'content']);

/**
 * DocumentBlock `name`: letters and digits, single spaces, hyphens, parentheses and square
 * brackets (the API reference's list; a tab or two spaces in a row are refused). The underscore
 * is not in the list, but the service takes it.
 */
const DOCUMENT_NAME_PATTERN = /^[A-Za-z0-9_\-()[\] ]+$/;

/** Message.content: "up to five documents", each "no more than 4.5 MB". */
const MAX_DOCUMENTS_PER_MESSAGE = 5;
const MAX_DOCUMENT_BYTES = 4.5 * 1024 * 1024;

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
    const problem = contentProblem(message.content, { index, role: message.role });
    if (problem) return fail(problem);
    if (message.content.some((block: unknown) => isRecord(block) && ('toolUse' in block || 'toolResult' in block))) usesTools = true;
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
  return { ok: true };
}

/**
 * What the service says about a message's content blocks, or undefined when it takes them: one
 * member each, of the ContentBlock union; documents only from the user, at most five a message,
 * and never without text beside them (Message.content's documented rules).
 */
function contentProblem(content: unknown[], message: { index: number; role: 'user' | 'assistant' }): string | undefined {
  const { index } = message;
  let documents = 0;
  let hasText = false;
  for (const [position, block] of content.entries()) {
    if (!isRecord(block) || Object.keys(block).length !== 1) {
      return `Malformed input request: each ContentBlock in messages.${index}.content must set exactly one member.`;
    }
    const member = Object.keys(block)[0]!;
    if (!CONTENT_BLOCK_MEMBERS.has(member)) {
      return `Malformed input request: #/messages/${index}/content/${position}: extraneous key [${member}] is not permitted, please reformat your input and try again.`;
    }
    if (member === 'text') hasText = true;
    if (member !== 'document') continue;
    if (message.role !== 'user') return `Documents can only be included in user messages. Remove the document from messages.${index} and try again.`;
    const problem = documentProblem(block.document, `messages.${index + 1}.member.content.${position + 1}.member.document`);
    if (problem) return problem;
    documents++;
  }
  if (documents > MAX_DOCUMENTS_PER_MESSAGE) {
    return `The message at messages.${index} has ${documents} documents; a message can include up to ${MAX_DOCUMENTS_PER_MESSAGE} documents. Remove documents and try again.`;
  }
  if (documents > 0 && !hasText) return `The message at messages.${index} includes a document but no text. Add a text ContentBlock to the message and try again.`;
  return undefined;
}

/**
 * What the service says about a DocumentBlock at `path` (`messages.1.member.content.2.member.document`),
 * or undefined when it takes it. Constraint messages leave the value out, as the service does for
 * documents; the name rule has its own sentence.
 */
function documentProblem(document: unknown, path: string): string | undefined {
  const constraint = (field: string, rule: string) => `1 validation error detected: Value at '${path}.${field}' failed to satisfy constraint: ${rule}`;
  if (!isRecord(document)) return `Malformed input request: ${path} must be an object.`;
  const { name, format, source } = document;
  if (name === undefined || name === null) return constraint('name', 'Member must not be null');
  if (typeof name !== 'string') return `Malformed input request: ${path}.name must be a string.`;
  if (name.length < 1) return constraint('name', 'Member must have length greater than or equal to 1');
  if (name.length > 200) return constraint('name', 'Member must have length less than or equal to 200');
  if (!DOCUMENT_NAME_PATTERN.test(name) || name.includes('  ')) {
    return "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request.";
  }
  if (!isRecord(source) || Object.keys(source).length !== 1 || !DOCUMENT_SOURCES.has(Object.keys(source)[0]!)) {
    return `Malformed input request: ${path}.source must set exactly one of bytes, s3Location, text, content.`;
  }
  // Bytes and S3 objects are read by their format; text and content sources are text already.
  if (format === undefined || format === null) {
    if ('bytes' in source || 's3Location' in source) return constraint('format', 'Member must not be null');
  } else if (typeof format !== 'string' || !DOCUMENT_FORMATS.includes(format)) {
    return constraint('format', `Member must satisfy enum value set: [${DOCUMENT_FORMATS.join(', ')}]`);
  }
  if ('bytes' in source) {
    if (typeof source.bytes !== 'string' || source.bytes.length === 0) return constraint('source.bytes', 'Member must have length greater than or equal to 1');
    const size = base64Length(source.bytes);
    if (size > MAX_DOCUMENT_BYTES) return `The document at ${path} is ${size} bytes. Each document's size must be no more than 4.5 MB. Reduce the document size and try again.`;
  }
  if ('s3Location' in source) {
    const uri = isRecord(source.s3Location) ? source.s3Location.uri : undefined;
    if (typeof uri !== 'string' || !/^s3:\/\/[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9](\/.*)?$/.test(uri)) {
      return constraint('source.s3Location.uri', 'Member must satisfy regular expression pattern: ^s3://[a-z0-9][\\.\\-a-z0-9]{1,61}[a-z0-9](/.*)?$');
    }
  }
  return undefined;
}

/** The byte length of base64 text, without decoding it. */
function base64Length(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

interface RenderOptions {
  reply: Reply;
  /** The reply's token counts in reg's meaning (`usageOf`), rendered in Converse's fields. */
  usage: ReplyUsage;
  /** `performance.now()` when the request arrived, for `metrics.latencyMs`. */
  receivedAt: number;
}

/** The Converse response body. */
export function renderConverseResponse(options: RenderOptions): Record<string, unknown> {
  const { reply } = options;
  const toolCalls = resolveToolCalls(reply.toolCalls);
  const content: Array<Record<string, unknown>> = [];
  if (reply.text || toolCalls.length === 0) content.push({ text: reply.text ?? '' });
  for (const call of toolCalls) content.push({ toolUse: { toolUseId: call.id, name: call.name, input: call.inputValue } });
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: stopReason(reply),
    usage: converseUsage(options.usage),
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
  const { reply } = options;
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
      return encodeEvent('metadata', { usage: converseUsage(options.usage), metrics: { latencyMs: elapsedMs(options.receivedAt) } });
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
 * Converse's `usage` (the same in ConverseStream's `metadata`): `inputTokens` leaves out the
 * tokens read from and written to the prompt cache, which come in `cacheReadInputTokens` and
 * `cacheWriteInputTokens`; `totalTokens` counts all of them and the output. `outputTokens`
 * includes reasoning, which Converse does not report apart.
 */
function converseUsage(usage: ReplyUsage): Record<string, number> {
  const { inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens } = usage;
  return {
    inputTokens: Math.max(0, inputTokens - cachedInputTokens - cacheWriteInputTokens),
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    cacheReadInputTokens: cachedInputTokens,
    cacheWriteInputTokens,
  };
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
