import type { ChatRequest, FilePart, ImagePart, Message, ProviderOptions, TextPart, ToolCallPart, ToolChoice, ToolDefinition, ToolResultPart } from '@reg/core';
import { GatewayError } from './errors.js';

/** A Chat Completions request, read into reg's terms. */
export interface ParsedChatCompletion {
  /** The client reference: a client name, a strategy name or `provider/model`. */
  model: string;
  request: ChatRequest;
  stream: boolean;
  /** `stream_options.include_usage`: a last chunk with usage and no choices. */
  includeUsage: boolean;
}

/** Fields reg maps itself, or reads elsewhere (the registry options). */
const HANDLED = new Set([
  'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'stop',
  'tools', 'tool_choice', 'response_format', 'n', 'reg_options', '__baml_options__',
]);
/**
 * OpenAI fields with no reg equivalent: they reach OpenAI-family upstreams through providerOptions
 * (as a client option would), and other vendors ignore them.
 */
const OPENAI_ONLY = new Set([
  'frequency_penalty', 'presence_penalty', 'logit_bias', 'seed', 'user', 'parallel_tool_calls', 'service_tier', 'store',
  'metadata', 'reasoning_effort', 'verbosity', 'safety_identifier', 'prompt_cache_key',
]);
const OPENAI_FAMILY = ['openai', 'openai-generic', 'azure-openai', 'openrouter'];

/** Validates a body strictly (400 naming the field) and maps it to a reg request. */
export function parseChatCompletion(body: unknown): ParsedChatCompletion {
  if (!isRecord(body)) throw invalid('the body must be a JSON object', null);
  for (const key of Object.keys(body)) {
    if (!HANDLED.has(key) && !OPENAI_ONLY.has(key)) throw invalid(`Unrecognized request argument supplied: ${key}`, key);
  }
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model must be a client name, a strategy name or provider/model', 'model');
  if (body.n !== undefined && body.n !== null && body.n !== 1) throw invalid('n must be 1: the gateway returns one choice', 'n');
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw invalid('stream must be a boolean', 'stream');
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && !isRecord(streamOptions)) throw invalid('stream_options must be an object', 'stream_options');

  const request: ChatRequest = { messages: readMessages(body.messages) };
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null) {
    request.maxTokens = number(maxTokens, body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens', { integer: true, min: 1 });
  }
  if (body.temperature !== undefined && body.temperature !== null) request.temperature = number(body.temperature, 'temperature', { min: 0, max: 2 });
  if (body.top_p !== undefined && body.top_p !== null) request.topP = number(body.top_p, 'top_p', { min: 0, max: 1 });
  if (body.stop !== undefined && body.stop !== null) request.stopSequences = readStop(body.stop);
  if (body.tools !== undefined && body.tools !== null) request.tools = readTools(body.tools);
  if (body.tool_choice !== undefined && body.tool_choice !== null) request.toolChoice = readToolChoice(body.tool_choice);
  if (body.response_format !== undefined && body.response_format !== null) {
    const format = readResponseFormat(body.response_format);
    if (format) request.responseFormat = format;
  }
  const passthrough: Record<string, unknown> = {};
  for (const key of OPENAI_ONLY) if (body[key] !== undefined) passthrough[key] = body[key];
  if (Object.keys(passthrough).length > 0) {
    const providerOptions: ProviderOptions = {};
    for (const provider of OPENAI_FAMILY) providerOptions[provider] = passthrough;
    request.providerOptions = providerOptions;
  }
  return {
    model: body.model,
    request,
    stream: body.stream === true,
    includeUsage: isRecord(streamOptions) && streamOptions.include_usage === true,
  };
}

function readMessages(raw: unknown): Message[] {
  if (!Array.isArray(raw) || raw.length === 0) throw invalid('messages must be a non-empty array', 'messages');
  const messages: Message[] = [];
  // Tool messages carry only the call id; reg's tool results also name the tool.
  const toolNames = new Map<string, string>();
  raw.forEach((message: unknown, index) => {
    const path = `messages[${index}]`;
    if (!isRecord(message)) throw invalid(`${path} must be an object`, path);
    switch (message.role) {
      case 'system':
      case 'developer':
        messages.push({ role: 'system', content: textOnly(message.content, `${path}.content`) });
        return;
      case 'user':
        messages.push({ role: 'user', content: userContent(message.content, `${path}.content`) });
        return;
      case 'assistant':
        messages.push({ role: 'assistant', content: assistantContent(message, path, toolNames) });
        return;
      case 'tool': {
        const id = message.tool_call_id;
        if (typeof id !== 'string' || id === '') throw invalid(`${path}.tool_call_id must be the id of an earlier tool call`, `${path}.tool_call_id`);
        const part: ToolResultPart = { type: 'tool-result', toolCallId: id, toolName: toolNames.get(id) ?? 'unknown', output: textOnly(message.content, `${path}.content`) };
        const previous = messages.at(-1);
        // Consecutive tool messages answer one assistant turn: one reg tool message holds them all.
        if (previous?.role === 'tool') previous.content.push(part);
        else messages.push({ role: 'tool', content: [part] });
        return;
      }
      default:
        throw invalid(`${path}.role must be system, developer, user, assistant or tool`, `${path}.role`);
    }
  });
  return messages;
}

function textOnly(raw: unknown, path: string): string {
  if (typeof raw === 'string') return raw;
  if (!Array.isArray(raw)) throw invalid(`${path} must be a string or an array of text parts`, path);
  return raw
    .map((part: unknown, index) => {
      if (!isRecord(part) || part.type !== 'text' || typeof part.text !== 'string') throw invalid(`${path}[${index}] must be a text part`, `${path}[${index}]`);
      return part.text;
    })
    .join('');
}

function userContent(raw: unknown, path: string): string | Array<TextPart | ImagePart | FilePart> {
  if (typeof raw === 'string') return raw;
  if (!Array.isArray(raw) || raw.length === 0) throw invalid(`${path} must be a string or a non-empty array of parts`, path);
  return raw.map((part: unknown, index): TextPart | ImagePart | FilePart => {
    const where = `${path}[${index}]`;
    if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') return { type: 'text', text: part.text };
    if (isRecord(part) && part.type === 'image_url') {
      const image = isRecord(part.image_url) ? part.image_url : undefined;
      if (!image || typeof image.url !== 'string') throw invalid(`${where}.image_url.url must be a URL`, `${where}.image_url.url`);
      const imagePart: ImagePart = { type: 'image', image: image.url };
      if (image.detail === 'low' || image.detail === 'high' || image.detail === 'auto') {
        imagePart.providerOptions = Object.fromEntries(OPENAI_FAMILY.map((provider) => [provider, { detail: image.detail }]));
      }
      return imagePart;
    }
    if (isRecord(part) && part.type === 'file') return filePart(part, where);
    if (isRecord(part) && part.type === 'input_audio') return audioPart(part, where);
    throw invalid(`${where} must be a text, image_url, file or input_audio part`, where);
  });
}

function assistantContent(message: Record<string, unknown>, path: string, toolNames: Map<string, string>): string | Array<TextPart | ToolCallPart> {
  const text = message.content === undefined || message.content === null ? '' : textOnly(message.content, `${path}.content`);
  const calls = message.tool_calls;
  if (calls === undefined || calls === null) return text;
  if (!Array.isArray(calls)) throw invalid(`${path}.tool_calls must be an array`, `${path}.tool_calls`);
  const parts: Array<TextPart | ToolCallPart> = text ? [{ type: 'text', text }] : [];
  calls.forEach((call: unknown, index) => {
    const where = `${path}.tool_calls[${index}]`;
    const fn = isRecord(call) && isRecord(call.function) ? call.function : undefined;
    if (!isRecord(call) || typeof call.id !== 'string' || !fn || typeof fn.name !== 'string') {
      throw invalid(`${where} must be { id, type: 'function', function: { name, arguments } }`, where);
    }
    toolNames.set(call.id, fn.name);
    parts.push({ type: 'tool-call', toolCallId: call.id, toolName: fn.name, input: parseArguments(fn.arguments, `${where}.function.arguments`) });
  });
  return parts;
}

function parseArguments(raw: unknown, path: string): unknown {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'string') throw invalid(`${path} must be a JSON string`, path);
  try {
    return JSON.parse(raw);
  } catch {
    throw invalid(`${path} must be valid JSON`, path);
  }
}

function readStop(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw as string[];
  throw invalid('stop must be a string or an array of strings', 'stop');
}

function readTools(raw: unknown): ToolDefinition[] {
  if (!Array.isArray(raw)) throw invalid('tools must be an array', 'tools');
  return raw.map((tool: unknown, index): ToolDefinition => {
    const path = `tools[${index}]`;
    const fn = isRecord(tool) && tool.type === 'function' && isRecord(tool.function) ? tool.function : undefined;
    if (!fn || typeof fn.name !== 'string' || fn.name === '') throw invalid(`${path} must be { type: 'function', function: { name, parameters } }`, path);
    if (fn.parameters !== undefined && !isRecord(fn.parameters)) throw invalid(`${path}.function.parameters must be a JSON schema object`, `${path}.function.parameters`);
    const definition: ToolDefinition = { name: fn.name, inputSchema: (fn.parameters as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } };
    if (typeof fn.description === 'string') definition.description = fn.description;
    return definition;
  });
}

function readToolChoice(raw: unknown): ToolChoice {
  if (raw === 'auto' || raw === 'none' || raw === 'required') return raw;
  if (isRecord(raw) && raw.type === 'function' && isRecord(raw.function) && typeof raw.function.name === 'string') {
    return { type: 'tool', toolName: raw.function.name };
  }
  throw invalid("tool_choice must be 'auto', 'none', 'required' or { type: 'function', function: { name } }", 'tool_choice');
}

function readResponseFormat(raw: unknown): ChatRequest['responseFormat'] {
  if (!isRecord(raw)) throw invalid('response_format must be an object', 'response_format');
  if (raw.type === 'text') return undefined;
  if (raw.type === 'json_object') return { type: 'json' };
  if (raw.type === 'json_schema' && isRecord(raw.json_schema)) {
    const schema = raw.json_schema;
    const format: ChatRequest['responseFormat'] = { type: 'json' };
    if (isRecord(schema.schema)) format.schema = schema.schema;
    if (typeof schema.name === 'string') format.name = schema.name;
    return format;
  }
  throw invalid("response_format.type must be 'text', 'json_object' or 'json_schema' (with json_schema)", 'response_format');
}

function number(raw: unknown, param: string, rules: { integer?: boolean; min?: number; max?: number }): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || (rules.integer && !Number.isInteger(raw))) {
    throw invalid(`${param} must be a${rules.integer ? ' whole' : ''} number`, param);
  }
  if ((rules.min !== undefined && raw < rules.min) || (rules.max !== undefined && raw > rules.max)) {
    throw invalid(`${param} must be between ${rules.min ?? '-inf'} and ${rules.max ?? 'inf'}`, param);
  }
  return raw;
}

function invalid(message: string, param: string | null): GatewayError {
  return new GatewayError({ status: 400, message, param, code: 'invalid_request' });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OpenAI's `file` part: the file's data as a data: URL (`file_data`), with its `filename`. */
function filePart(part: Record<string, unknown>, where: string): FilePart {
  const file = isRecord(part.file) ? part.file : undefined;
  if (typeof file?.file_id === 'string') throw invalid(`${where}.file.file_id refers to a file uploaded to a vendor; send its content as file.file_data (a data: URL)`, `${where}.file.file_id`);
  const data = file?.file_data;
  const match = typeof data === 'string' ? /^data:([^;,]+)[^,]*,/.exec(data) : null;
  if (!match) throw invalid(`${where}.file.file_data must be the file as a data: URL (data:application/pdf;base64,...)`, `${where}.file.file_data`);
  const filePart: FilePart = { type: 'file', data: data as string, mediaType: match[1]!.toLowerCase() };
  if (typeof file?.filename === 'string' && file.filename !== '') filePart.filename = file.filename;
  return filePart;
}

const AUDIO_TYPES: Readonly<Record<string, string>> = { wav: 'audio/wav', mp3: 'audio/mpeg' };

/** OpenAI's `input_audio` part: base64 audio in a `format` OpenAI names (`wav`, `mp3`). */
function audioPart(part: Record<string, unknown>, where: string): FilePart {
  const audio = isRecord(part.input_audio) ? part.input_audio : undefined;
  const mediaType = typeof audio?.format === 'string' ? AUDIO_TYPES[audio.format] : undefined;
  if (typeof audio?.data !== 'string' || audio.data === '') throw invalid(`${where}.input_audio.data must be the audio as base64`, `${where}.input_audio.data`);
  if (!mediaType) throw invalid(`${where}.input_audio.format must be one of ${Object.keys(AUDIO_TYPES).join(', ')}`, `${where}.input_audio.format`);
  return { type: 'file', data: audio.data, mediaType };
}
