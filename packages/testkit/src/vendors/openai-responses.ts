import { isFault, replyFor } from '../emulator/script-store.js';
import { splitText } from '../emulator/stream-frames.js';
import { applyTransportFaults } from '../emulator/transport-faults.js';
import type { Exchange, RecordedRequest, Reply, StreamFrame, StreamPlan } from '../emulator/types.js';
import { usageOf } from '../emulator/serve-outcome.js';
import {
  base64DataUrl,
  FILE_CONTENT_LIMIT_BYTES,
  isRecord,
  listOf,
  missingParameter,
  renderToolCalls,
  sendJsonOutcome,
  streamHeaders,
  tooMuchFileContent,
  unparsableBody,
} from './openai-chat.js';
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

type OutputItem = MessageItem | FunctionCallItem;

interface MessageItem {
  id: string;
  type: 'message';
  status: 'in_progress' | 'completed' | 'incomplete';
  role: 'assistant';
  content: OutputText[];
}

interface OutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs: unknown[];
}

interface FunctionCallItem {
  id: string;
  type: 'function_call';
  status: 'in_progress' | 'completed' | 'incomplete';
  arguments: string;
  call_id: string;
  name: string;
}

/** One streamed event before it is numbered: its `type` and fields, and whether it carries content. */
interface PendingEvent {
  fields: Record<string, unknown> & { type: string };
  content?: boolean;
}

/** `POST /v1/responses` (and Azure's v1 and api-version forms). */
export async function handleResponses(exchange: Exchange, surface: { vendor: OpenAIFamilyVendor }): Promise<void> {
  const { vendor } = surface;
  if (!authenticate(exchange, vendor)) return;
  const body = exchange.request.body;
  if (!isRecord(body)) return sendInvalidRequest(exchange, vendor, unparsableBody());
  const model = typeof body.model === 'string' && body.model ? body.model : undefined;
  if (!model) return sendInvalidRequest(exchange, vendor, missingParameter('model'));
  exchange.request.model = model;
  const invalidInput = Array.isArray(body.input) ? invalidInputContent(body.input) : undefined;
  if (invalidInput) return sendInvalidRequest(exchange, vendor, invalidInput);

  const stream = body.stream === true;
  const { script, outcome } = exchange.take(model);
  if (await applyTransportFaults(exchange, script, outcome, { stream })) return;
  if (isFault(outcome) && outcome.kind === 'status') return sendStatusFault(exchange, vendor, outcome, model);

  const reply = replyFor(outcome, script, exchange.request);
  const rendered = renderResponse({ model, reply, body, request: exchange.request });
  if (stream) {
    const headers = { ...familyHeaders(exchange, vendor), ...streamHeaders() };
    return exchange.stream({ headers, plan: responseStreamPlan(rendered, script.chunkSize), script, outcome });
  }
  return sendJsonOutcome({ exchange, vendor, json: rendered.snapshot(rendered.status, rendered.items), outcome, model });
}

interface RenderedResponse {
  id: string;
  model: string;
  status: 'completed' | 'incomplete';
  items: OutputItem[];
  /** The response object with the given status and output, as every lifecycle event and the JSON answer carry it. */
  snapshot(status: string, output: OutputItem[], extra?: Record<string, unknown>): Record<string, unknown>;
}

function renderResponse(input: { model: string; reply: Reply; body: Record<string, unknown>; request: RecordedRequest }): RenderedResponse {
  const { model, reply, body } = input;
  const id = randomId('resp_', 24);
  const createdAt = Math.floor(Date.now() / 1000);
  const toolCalls = renderToolCalls(reply);
  const incompleteReason =
    reply.finishReason === 'length' ? 'max_output_tokens' : reply.finishReason === 'content-filter' ? 'content_filter' : undefined;
  const status = incompleteReason ? 'incomplete' : 'completed';
  const items: OutputItem[] = [];
  if (reply.text !== undefined || toolCalls.length === 0) {
    items.push({
      id: randomId('msg_', 24),
      type: 'message',
      status,
      role: 'assistant',
      content: [{ type: 'output_text', text: reply.text ?? '', annotations: [], logprobs: [] }],
    });
  }
  for (const call of toolCalls) {
    items.push({ id: randomId('fc_', 24), type: 'function_call', status: 'completed', arguments: call.arguments, call_id: call.id, name: call.name });
  }
  // The Responses arithmetic is reg's: input_tokens counts cache reads and writes, output_tokens reasoning.
  const counts = usageOf(reply, input.request);
  const usage = {
    input_tokens: counts.inputTokens,
    input_tokens_details: { cached_tokens: counts.cachedInputTokens, cache_write_tokens: counts.cacheWriteInputTokens },
    output_tokens: counts.outputTokens,
    output_tokens_details: { reasoning_tokens: counts.reasoningTokens },
    total_tokens: counts.inputTokens + counts.outputTokens,
  };
  const snapshot = (snapshotStatus: string, output: OutputItem[], extra: Record<string, unknown> = {}) => {
    const finished = snapshotStatus !== 'in_progress';
    return {
      id,
      object: 'response',
      created_at: createdAt,
      status: snapshotStatus,
      background: false,
      error: null,
      incomplete_details: snapshotStatus === 'incomplete' ? { reason: incompleteReason } : null,
      instructions: body.instructions ?? null,
      max_output_tokens: body.max_output_tokens ?? null,
      model,
      output,
      parallel_tool_calls: body.parallel_tool_calls ?? true,
      previous_response_id: body.previous_response_id ?? null,
      reasoning: { effort: null, summary: null },
      service_tier: 'default',
      store: body.store ?? true,
      temperature: body.temperature ?? 1,
      text: body.text ?? { format: { type: 'text' } },
      tool_choice: body.tool_choice ?? 'auto',
      tools: body.tools ?? [],
      top_p: body.top_p ?? 1,
      truncation: body.truncation ?? 'disabled',
      usage: finished ? usage : null,
      user: null,
      metadata: body.metadata ?? {},
      ...extra,
    };
  };
  return { id, model, status, items, snapshot };
}

function responseStreamPlan(rendered: RenderedResponse, chunkSize: number | undefined): StreamPlan {
  const events: PendingEvent[] = [
    { fields: { type: 'response.created', response: rendered.snapshot('in_progress', []) } },
    { fields: { type: 'response.in_progress', response: rendered.snapshot('in_progress', []) } },
  ];
  rendered.items.forEach((item, outputIndex) => {
    if (item.type === 'message') events.push(...messageEvents(item, outputIndex, chunkSize));
    else events.push(...functionCallEvents(item, outputIndex, chunkSize));
  });
  const terminal = rendered.status === 'completed' ? 'response.completed' : 'response.incomplete';
  events.push({ fields: { type: terminal, response: rendered.snapshot(rendered.status, rendered.items) } });

  const frames: StreamFrame[] = events.map((event, sequenceNumber) => ({
    data: sseEvent(event.fields, sequenceNumber),
    ...(event.content ? { content: true } : {}),
  }));
  return {
    frames,
    // OpenAI nests the error object in the `error` event (unlike its published schema), then fails the response.
    inBandError: (fault) => {
      const sequenceNumber = framesSentBefore(frames, fault.afterParts);
      const error = openaiStatusError({ status: 500, message: fault.message, type: fault.type }, rendered.model);
      const failed = rendered.snapshot('failed', [], { error: { code: error.type, message: error.message } });
      return (
        sseEvent({ type: 'error', error: { ...error, code: error.code ?? error.type } }, sequenceNumber) +
        sseEvent({ type: 'response.failed', response: failed }, sequenceNumber + 1)
      );
    },
    malformed: () => 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"unterminated\n\n',
  };
}

function messageEvents(item: MessageItem, outputIndex: number, chunkSize: number | undefined): PendingEvent[] {
  const part = item.content[0] ?? { type: 'output_text', text: '', annotations: [], logprobs: [] };
  const location = { item_id: item.id, output_index: outputIndex, content_index: 0 };
  return [
    { fields: { type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', content: [] } } },
    { fields: { type: 'response.content_part.added', ...location, part: { ...part, text: '' } } },
    ...splitText(part.text, chunkSize).map((delta) => ({
      fields: { type: 'response.output_text.delta', ...location, delta, logprobs: [] },
      content: true,
    })),
    { fields: { type: 'response.output_text.done', ...location, text: part.text, logprobs: [] } },
    { fields: { type: 'response.content_part.done', ...location, part } },
    { fields: { type: 'response.output_item.done', output_index: outputIndex, item } },
  ];
}

function functionCallEvents(item: FunctionCallItem, outputIndex: number, chunkSize: number | undefined): PendingEvent[] {
  const location = { item_id: item.id, output_index: outputIndex };
  return [
    { fields: { type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', arguments: '' } } },
    ...splitText(item.arguments, chunkSize).map((delta) => ({
      fields: { type: 'response.function_call_arguments.delta', ...location, delta },
      content: true,
    })),
    { fields: { type: 'response.function_call_arguments.done', ...location, name: item.name, arguments: item.arguments } },
    { fields: { type: 'response.output_item.done', output_index: outputIndex, item } },
  ];
}

/** The content part types a Responses input message takes, as its 400 lists them; audio is not one of them. */
const INPUT_PART_TYPES = ['input_text', 'input_image', 'input_file'];

/** The media types `input_file` takes as `file_data` (the file inputs guide): documents, text and code, presentations, spreadsheets. */
const INPUT_FILE_TYPES = new Set([
  'application/pdf',
  'text/plain',
  'text/markdown',
  'application/json',
  'text/html',
  'application/xml',
  'text/xml',
  'text/csv',
  'text/tab-separated-values',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/rtf',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/x-python',
  'text/javascript',
  'application/typescript',
  'text/x-java',
  'text/x-c',
  'text/x-c++',
  'text/x-csharp',
  'text/x-php',
  'text/x-ruby',
  'application/x-sh',
  'text/css',
  'text/x-tex',
]);

/**
 * The 400 for the first input message part the API refuses: an unknown part type (`input_audio`
 * included), an `input_file` with neither `file_id`, `file_url` nor `file_data`, `file_data` that
 * is not a data URL of a type it takes, or more file content than it takes in a request.
 */
function invalidInputContent(input: unknown[]): InvalidRequest | undefined {
  let fileBytes = 0;
  for (const [index, item] of input.entries()) {
    if (!isRecord(item) || (item.type !== undefined && item.type !== 'message') || item.role === 'assistant' || !Array.isArray(item.content)) continue;
    for (const [position, part] of item.content.entries()) {
      const where = `input[${index}].content[${position}]`;
      const type = isRecord(part) ? part.type : undefined;
      if (typeof type !== 'string' || !INPUT_PART_TYPES.includes(type)) {
        return { message: `Invalid value: '${String(type)}'. Supported values are: ${listOf(INPUT_PART_TYPES)}.`, param: `${where}.type`, code: 'invalid_value' };
      }
      if (type !== 'input_file' || !isRecord(part)) continue;
      if ((typeof part.file_id === 'string' && part.file_id) || (typeof part.file_url === 'string' && /^https?:\/\//i.test(part.file_url))) continue;
      if (typeof part.file_data !== 'string' || part.file_data === '') return missingParameter(`${where}.file_data`);
      const { mediaType, bytes } = base64DataUrl(part.file_data);
      if (!INPUT_FILE_TYPES.has(mediaType)) {
        return {
          message: `Invalid file data: '${where}.file_data'. Expected a base64-encoded data URL of a supported file type, but got unsupported MIME type '${mediaType}'.`,
          param: `${where}.file_data`,
          code: 'invalid_value',
        };
      }
      fileBytes += bytes;
      if (fileBytes > FILE_CONTENT_LIMIT_BYTES) return tooMuchFileContent(`${where}.file_data`);
    }
  }
  return undefined;
}

function sseEvent(fields: Record<string, unknown> & { type: string }, sequenceNumber: number): string {
  const { type, ...rest } = fields;
  return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequenceNumber, ...rest })}\n\n`;
}

/**
 * How many frames went out before a fault placed after `afterParts` content frames: the stream
 * writer stops at the content frame with that index, so the in-band event continues the numbering.
 */
function framesSentBefore(frames: StreamFrame[], afterParts: number): number {
  let contentParts = 0;
  for (const [index, frame] of frames.entries()) {
    if (!frame.content) continue;
    if (contentParts >= afterParts) return index;
    contentParts++;
  }
  return frames.length;
}
