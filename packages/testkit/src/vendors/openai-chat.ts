import { isFault, replyFor } from '../emulator/script-store.js';
import { usageOf } from '../emulator/serve-outcome.js';
import { splitText } from '../emulator/stream-frames.js';
import { applyTransportFaults } from '../emulator/transport-faults.js';
import type { Exchange, Fault, RecordedRequest, Reply, ReplyUsage, StreamFrame, StreamPlan } from '../emulator/types.js';
import {
  authenticate,
  familyHeaders,
  openaiStatusError,
  randomId,
  sendInvalidRequest,
  sendStatusFault,
  type InvalidRequest,
  type OpenAIFamilyVendor,
} from './openai-errors.js';

type StreamFault = Extract<Fault, { kind: 'stream-error' }>;

/** Where a chat request is served: the vendor, and for Azure deployments the model named by the path. */
export interface ChatSurface {
  vendor: OpenAIFamilyVendor;
  deployment?: string;
}

/** A scripted tool call with the identifiers and argument text it goes out with. */
export interface RenderedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** `POST /v1/chat/completions` and its Azure and OpenRouter twins. */
export async function handleChatCompletions(exchange: Exchange, surface: ChatSurface): Promise<void> {
  const { vendor } = surface;
  if (!authenticate(exchange, vendor)) return;
  const body = exchange.request.body;
  if (!isRecord(body)) return sendInvalidRequest(exchange, vendor, unparsableBody());
  const model = surface.deployment ?? (typeof body.model === 'string' && body.model ? body.model : undefined);
  if (!model) return sendInvalidRequest(exchange, vendor, missingParameter('model'));
  exchange.request.model = model;
  if (body.messages === undefined) return sendInvalidRequest(exchange, vendor, missingParameter('messages'));
  if (!Array.isArray(body.messages)) {
    return sendInvalidRequest(exchange, vendor, {
      message: `Invalid type for 'messages': expected an array of objects, but got ${typeof body.messages} instead.`,
      param: 'messages',
      code: 'invalid_type',
    });
  }
  if (body.messages.length === 0) {
    return sendInvalidRequest(exchange, vendor, {
      message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      param: 'messages',
      code: 'empty_array',
    });
  }
  const invalidContent = invalidUserContent(body.messages, vendor);
  if (invalidContent) return sendInvalidRequest(exchange, vendor, invalidContent);

  const stream = body.stream === true;
  const { script, outcome } = exchange.take(model);
  if (await applyTransportFaults(exchange, script, outcome, { stream })) return;
  if (isFault(outcome) && outcome.kind === 'status') return sendStatusFault(exchange, vendor, outcome, model);

  const reply = replyFor(outcome, script, exchange.request);
  const completion = renderCompletion({ vendor, model, reply, request: exchange.request });
  if (stream) {
    const includeUsage = vendor === 'openrouter' || (isRecord(body.stream_options) && body.stream_options.include_usage === true);
    const headers = { ...familyHeaders(exchange, vendor), ...streamHeaders(), ...generationHeader(vendor, completion.id) };
    const plan = chatStreamPlan({ vendor, completion, includeUsage, chunkSize: script.chunkSize });
    return exchange.stream({ headers, plan, script, outcome });
  }
  return sendJsonOutcome({ exchange, vendor, json: completion.json, outcome, model, headers: generationHeader(vendor, completion.id) });
}

/**
 * Sends a non-streamed answer. A stream fault on a non-streamed call breaks the one response there
 * is: `cut` drops the connection, `malformed` sends half the JSON, `stream-error` becomes a 500.
 */
export function sendJsonOutcome(input: {
  exchange: Exchange;
  vendor: OpenAIFamilyVendor;
  json: Record<string, unknown>;
  outcome: Reply | Fault;
  model: string;
  headers?: Record<string, string>;
}): void {
  const { exchange, vendor, json, outcome, model } = input;
  const headers = { ...familyHeaders(exchange, vendor), ...input.headers };
  if (isFault(outcome)) {
    if (outcome.kind === 'cut') return exchange.reset();
    if (outcome.kind === 'malformed') {
      const text = JSON.stringify(json);
      exchange.response.writeHead(200, { ...headers, 'content-type': 'application/json' });
      return exchange.response.end(text.slice(0, Math.floor(text.length / 2)));
    }
    if (outcome.kind === 'stream-error') {
      return sendStatusFault(exchange, vendor, { kind: 'status', status: 500, message: outcome.message, type: outcome.type }, model);
    }
  }
  exchange.json(200, json, headers);
}

interface Completion {
  id: string;
  created: number;
  model: string;
  text: string | null;
  toolCalls: RenderedToolCall[];
  finishReason: string;
  usage: Record<string, unknown>;
  json: Record<string, unknown>;
}

function renderCompletion(input: { vendor: OpenAIFamilyVendor; model: string; reply: Reply; request: RecordedRequest }): Completion {
  const { vendor, model, reply } = input;
  const id = vendor === 'openrouter' ? `gen-${Math.floor(Date.now() / 1000)}-${randomId('', 10)}` : randomId('chatcmpl-', 14);
  const created = Math.floor(Date.now() / 1000);
  const toolCalls = renderToolCalls(reply);
  const text = reply.text ?? (toolCalls.length > 0 ? null : '');
  const finishReason = chatFinishReason(reply);
  const usage = chatUsage(vendor, usageOf(reply, input.request));
  const message: Record<string, unknown> = { role: 'assistant', content: text, refusal: null, annotations: [] };
  if (toolCalls.length > 0) {
    message.tool_calls = toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  }
  const choice: Record<string, unknown> = { index: 0, message, logprobs: null, finish_reason: finishReason };
  if (vendor === 'azure') choice.content_filter_results = azureContentFilterResults();
  if (vendor === 'openrouter') choice.native_finish_reason = finishReason;
  const json: Record<string, unknown> = {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [choice],
    usage,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
  if (vendor === 'azure') json.prompt_filter_results = [{ prompt_index: 0, content_filter_results: azureContentFilterResults() }];
  if (vendor === 'openrouter') json.provider = 'OpenAI';
  return { id, created, model, text, toolCalls, finishReason, usage, json };
}

function chatStreamPlan(input: {
  vendor: OpenAIFamilyVendor;
  completion: Completion;
  includeUsage: boolean;
  chunkSize: number | undefined;
}): StreamPlan {
  const { vendor, completion, includeUsage, chunkSize } = input;
  const base: Record<string, unknown> = {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
    ...(vendor === 'openrouter' ? { provider: 'OpenAI' } : {}),
  };
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    sseData({ ...base, choices, ...(includeUsage ? { usage: null } : {}), ...extra });
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
    ...(vendor === 'openrouter' ? { native_finish_reason: finishReason } : {}),
  });

  const frames: StreamFrame[] = [];
  // OpenRouter keeps the connection warm with SSE comments; Azure first reports its prompt filter.
  if (vendor === 'openrouter') frames.push({ data: ': OPENROUTER PROCESSING\n\n' });
  if (vendor === 'azure') {
    frames.push({
      data: sseData({
        choices: [],
        created: 0,
        id: '',
        model: '',
        object: '',
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: azureContentFilterResults() }],
      }),
    });
  }
  const firstCall = completion.toolCalls[0];
  const toolHeader = (call: RenderedToolCall, index: number) => ({
    index,
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: '' },
  });
  // OpenAI opens with the role; a reply that is only tool calls names the first call in the same delta.
  const opening: Record<string, unknown> = { role: 'assistant', content: completion.text === null ? null : '', refusal: null };
  if (completion.text === null && firstCall) opening.tool_calls = [toolHeader(firstCall, 0)];
  frames.push({ data: chunk([choice(opening)]) });
  for (const part of splitText(completion.text ?? '', chunkSize)) {
    frames.push({ data: chunk([choice({ content: part })]), content: true });
  }
  completion.toolCalls.forEach((call, index) => {
    if (completion.text !== null || index > 0) frames.push({ data: chunk([choice({ tool_calls: [toolHeader(call, index)] })]) });
    for (const part of splitText(call.arguments, chunkSize)) {
      frames.push({ data: chunk([choice({ tool_calls: [{ index, function: { arguments: part } }] })]), content: true });
    }
  });
  frames.push({ data: chunk([choice({}, completion.finishReason)]) });
  if (includeUsage) frames.push({ data: sseData({ ...base, choices: [], usage: completion.usage }) });
  frames.push({ data: 'data: [DONE]\n\n' });

  return {
    frames,
    inBandError: (fault) => chatInBandError({ vendor, fault, base, model: completion.model }),
    malformed: () => `data: {"id":"${completion.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"unterminated\n\n`,
  };
}

/**
 * OpenAI and Azure send a bare `{"error": ...}` event inside the stream; OpenRouter sends a chunk
 * carrying `error` with finish_reason `error`. The SDK throws `APIError` for both.
 */
function chatInBandError(input: { vendor: OpenAIFamilyVendor; fault: StreamFault; base: Record<string, unknown>; model: string }): string {
  const { vendor, fault, base, model } = input;
  const error = openaiStatusError({ status: 500, message: fault.message, type: fault.type }, model);
  if (vendor === 'openrouter') {
    return sseData({
      ...base,
      error: { code: fault.type ?? 'server_error', message: error.message },
      choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error', native_finish_reason: 'error' }],
    });
  }
  return sseData({ error });
}

export function renderToolCalls(reply: Reply): RenderedToolCall[] {
  return (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? randomId('call_', 12),
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }));
}

function chatFinishReason(reply: Reply): string {
  switch (reply.finishReason) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    case 'stop':
      return 'stop';
    default:
      return reply.toolCalls?.length ? 'tool_calls' : 'stop';
  }
}

/**
 * Usage in Chat Completions' arithmetic, which is reg's: `prompt_tokens` counts all input, cache
 * reads and writes included; `completion_tokens` all output, reasoning included. OpenRouter reports
 * cache writes in every usage; OpenAI's schema has the field as optional, so it appears when writes
 * were counted.
 */
export function chatUsage(vendor: OpenAIFamilyVendor, counts: ReplyUsage): Record<string, unknown> {
  const promptDetails: Record<string, number> = { cached_tokens: counts.cachedInputTokens, audio_tokens: 0 };
  if (vendor === 'openrouter' || counts.cacheWriteInputTokens > 0) promptDetails.cache_write_tokens = counts.cacheWriteInputTokens;
  return {
    prompt_tokens: counts.inputTokens,
    completion_tokens: counts.outputTokens,
    total_tokens: counts.inputTokens + counts.outputTokens,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: { reasoning_tokens: counts.reasoningTokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export function sseData(json: unknown): string {
  return `data: ${JSON.stringify(json)}\n\n`;
}

export function streamHeaders(): Record<string, string> {
  return { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
}

/** OpenRouter names the generation in a header so callers can look its cost up later. */
function generationHeader(vendor: OpenAIFamilyVendor, id: string): Record<string, string> {
  return vendor === 'openrouter' ? { 'x-generation-id': id } : {};
}

function azureContentFilterResults() {
  const safe = { filtered: false, severity: 'safe' };
  return { hate: safe, self_harm: safe, sexual: safe, violence: safe };
}

export function unparsableBody() {
  return {
    message:
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
    param: null,
    code: null,
  };
}

export function missingParameter(name: string) {
  return { message: `Missing required parameter: '${name}'.`, param: name, code: 'missing_required_parameter' };
}

/** The user content part types Chat Completions takes, as its 400 lists them. */
const CHAT_PART_TYPES = ['text', 'image_url', 'input_audio', 'refusal', 'audio', 'file'];

/** `input_audio.format`: OpenAI and Azure take two; OpenRouter passes more to the models that take them. */
const AUDIO_FORMATS: Record<OpenAIFamilyVendor, string[]> = {
  openai: ['wav', 'mp3'],
  azure: ['wav', 'mp3'],
  openrouter: ['wav', 'mp3', 'flac', 'm4a', 'ogg', 'aiff', 'aac', 'pcm16', 'pcm24'],
};

/** OpenAI's per-request limit on file content (32 MB, across every file input). */
export const FILE_CONTENT_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * The 400 for the first user content part the vendor refuses: an unknown part type, audio without
 * data or in a format it does not take, a file without data (OpenAI and Azure: a PDF data URL;
 * OpenRouter also fetches URLs), or more file content than OpenAI takes in a request.
 */
function invalidUserContent(messages: unknown[], vendor: OpenAIFamilyVendor): InvalidRequest | undefined {
  let fileBytes = 0;
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message) || message.role !== 'user' || !Array.isArray(message.content)) continue;
    for (const [position, part] of message.content.entries()) {
      const where = `messages[${index}].content[${position}]`;
      const type = isRecord(part) ? part.type : undefined;
      if (typeof type !== 'string' || !CHAT_PART_TYPES.includes(type)) {
        return { message: `Invalid value: '${String(type)}'. Supported values are: ${listOf(CHAT_PART_TYPES)}.`, param: `${where}.type`, code: 'invalid_value' };
      }
      if (type === 'input_audio') {
        const audio = isRecord(part) && isRecord(part.input_audio) ? part.input_audio : {};
        if (typeof audio.data !== 'string' || audio.data === '') return missingParameter(`${where}.input_audio.data`);
        if (typeof audio.format !== 'string' || !AUDIO_FORMATS[vendor].includes(audio.format)) {
          return { message: `Invalid value: '${String(audio.format)}'. Supported values are: ${listOf(AUDIO_FORMATS[vendor])}.`, param: `${where}.input_audio.format`, code: 'invalid_value' };
        }
      }
      if (type === 'file') {
        const file = isRecord(part) && isRecord(part.file) ? part.file : {};
        if (typeof file.file_id === 'string' && file.file_id !== '') continue;
        if (typeof file.file_data !== 'string' || file.file_data === '') return missingParameter(`${where}.file.file_data`);
        if (vendor === 'openrouter' && /^https?:\/\//i.test(file.file_data)) continue;
        const { mediaType, bytes } = base64DataUrl(file.file_data);
        if (mediaType !== 'application/pdf') {
          return {
            message: `Invalid file data: '${where}.file.file_data'. Expected a base64-encoded data URL with an application/pdf MIME type (e.g. 'data:application/pdf;base64,SGVsbG8sIFdvcmxkIQ=='), but got unsupported MIME type '${mediaType}'.`,
            param: `${where}.file.file_data`,
            code: 'invalid_value',
          };
        }
        fileBytes += bytes;
        if (vendor !== 'openrouter' && fileBytes > FILE_CONTENT_LIMIT_BYTES) return tooMuchFileContent(`${where}.file.file_data`);
      }
    }
  }
  return undefined;
}

/** A base64 data URL's media type (empty when it is not one) and the bytes it holds. */
export function base64DataUrl(value: string): { mediaType: string; bytes: number } {
  const mediaType = /^data:([^;,]*)[^,]*;base64,/i.exec(value)?.[1]?.toLowerCase() ?? '';
  return { mediaType, bytes: mediaType ? Math.floor(((value.length - value.indexOf(',') - 1) * 3) / 4) : 0 };
}

/** The 400 for a request whose files hold more than OpenAI's 32 MB. */
export function tooMuchFileContent(param: string): InvalidRequest {
  return { message: `Invalid request: the files in this request exceed the limit of ${FILE_CONTENT_LIMIT_BYTES} bytes of file content.`, param, code: 'file_too_large' };
}

/** `'a', 'b', and 'c'`, as OpenAI lists supported values. */
export function listOf(values: string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  return quoted.length <= 2 ? quoted.join(' and ') : `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1)}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SYSTEM_FINGERPRINT = 'fp_reg_emulator';
