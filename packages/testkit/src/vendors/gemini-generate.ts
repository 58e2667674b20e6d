import { randomBytes } from 'node:crypto';
import { echoReply, isFault } from '../emulator/script-store.js';
import { splitText, streamFrames } from '../emulator/stream-frames.js';
import { applyTransportFaults } from '../emulator/transport-faults.js';
import type { Exchange, Fault, Reply, StreamFrame, StreamPlan } from '../emulator/types.js';
import {
  GOOGLE_JSON_CONTENT_TYPE,
  badRequest,
  defaultGoogleErrorMessage,
  googleCodeForStatusName,
  googleErrorBody,
  sendGoogleError,
  sendGoogleStatusFault,
  type GoogleError,
  type GoogleService,
} from './google-errors.js';

/** What the path of a generate call names. */
export interface GenerateTarget {
  service: GoogleService;
  model: string;
  stream: boolean;
}

type JsonObject = Record<string, unknown>;

const TOP_LEVEL_FIELDS = new Set([
  'contents',
  'systemInstruction',
  'generationConfig',
  'safetySettings',
  'tools',
  'toolConfig',
  'cachedContent',
  'labels',
  'serviceTier',
  'store',
  'continuationToken',
  'modelArmorConfig',
  'outputConfig',
  'model',
]);

const GENERATION_CONFIG_FIELDS = new Set([
  'temperature',
  'topP',
  'topK',
  'candidateCount',
  'maxOutputTokens',
  'stopSequences',
  'responseLogprobs',
  'logprobs',
  'presencePenalty',
  'frequencyPenalty',
  'seed',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'responseModalities',
  'mediaResolution',
  'speechConfig',
  'audioTimestamp',
  'thinkingConfig',
  'imageConfig',
  'routingConfig',
  'modelConfig',
  'modelSelectionConfig',
  'audioTranscriptionConfig',
  'enableAffectiveDialog',
  'enableEnhancedCivicAnswers',
]);

const PART_DATA_FIELDS = [
  'text',
  'inlineData',
  'fileData',
  'functionCall',
  'functionResponse',
  'executableCode',
  'codeExecutionResult',
  'toolCall',
  'toolResponse',
];

/** The fields of a Blob (`inlineData`) and a FileData (`fileData`) each API knows. */
const BLOB_FIELDS = new Set(['mimeType', 'data', 'displayName']);
const FILE_DATA_FIELDS: Record<GoogleService, ReadonlySet<string>> = {
  // FileData.displayName is Vertex AI's only.
  gemini: new Set(['fileUri', 'mimeType']),
  vertex: new Set(['fileUri', 'mimeType', 'displayName']),
};

/**
 * The document and audio types each API documents for `inlineData` and `fileData` (the Gemini
 * API's document-processing and audio pages; Vertex AI's document and audio understanding pages);
 * images and video go as they are.
 */
const FILE_TYPES: Record<GoogleService, ReadonlySet<string>> = {
  gemini: new Set([
    'application/pdf',
    'text/plain',
    'text/html',
    'text/css',
    'text/csv',
    'text/xml',
    'text/rtf',
    'text/md',
    'text/javascript',
    'application/x-javascript',
    'text/x-python',
    'application/x-python',
    'audio/wav',
    'audio/mp3',
    'audio/aiff',
    'audio/aac',
    'audio/ogg',
    'audio/flac',
  ]),
  vertex: new Set([
    'application/pdf',
    'text/plain',
    'audio/x-aac',
    'audio/flac',
    'audio/mp3',
    'audio/m4a',
    'audio/mpeg',
    'audio/mpga',
    'audio/mp4',
    'audio/ogg',
    'audio/pcm',
    'audio/wav',
    'audio/webm',
  ]),
};

/** What a `fileData.fileUri` may be: http(s) for both (Files API URIs, public URLs), `gs://` for Vertex AI. */
const FILE_URI: Record<GoogleService, RegExp> = {
  gemini: /^https?:\/\/\S+$/i,
  vertex: /^(?:https?|gs):\/\/\S+$/i,
};

/** Proto JSON bytes: standard or URL-safe base64, padded or not. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

const FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/;

/** Proto JSON accepts a field under its lowerCamel name or its original snake_case name. */
function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function field(object: JsonObject, name: string): unknown {
  return object[name] ?? object[snakeCase(name)];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidArgument(message: string, details: unknown[] = []): GoogleError {
  return { code: 400, message, details };
}

function unknownField(name: string, at?: string): GoogleError {
  const message = `Invalid JSON payload received. Unknown name "${name}"${at ? ` at '${at}'` : ''}: Cannot find field.`;
  return invalidArgument(message, [badRequest(message, at)]);
}

/** A field violation, worded as each API words it (the Gemini API lists them, Vertex AI explains). */
function violation(service: GoogleService, path: string, gemini: string, vertex: string): GoogleError {
  if (service === 'vertex') return invalidArgument(vertex);
  return invalidArgument(`* GenerateContentRequest.${path}: ${gemini}\n`, [badRequest(gemini, path)]);
}

/** Reads the body the way the API does: JSON whatever the content type, or a 400. */
export function parseGenerateBody(exchange: Exchange): { body: JsonObject } | { error: GoogleError } {
  const { request } = exchange;
  let body = request.body;
  if (body === undefined && request.rawBody.length > 0) {
    try {
      body = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      return { error: invalidArgument('Invalid JSON payload received. Unexpected token.') };
    }
  }
  if (body === undefined) body = {};
  if (!isObject(body)) return { error: invalidArgument('Invalid JSON payload received. Expected an object key or }.') };
  return { body };
}

/** Checks what an SDK or a converter could get wrong; answers the first violation as the API would. */
export function validateGenerateContentRequest(body: JsonObject, service: GoogleService): GoogleError | undefined {
  for (const name of Object.keys(body)) {
    if (!TOP_LEVEL_FIELDS.has(camelCase(name))) return unknownField(name);
  }
  const contents = field(body, 'contents');
  if (contents !== undefined && !Array.isArray(contents)) {
    return invalidArgument(`Invalid value at 'contents' (type.googleapis.com/google.ai.generativelanguage.v1beta.Content), ${JSON.stringify(contents)}`);
  }
  if (!Array.isArray(contents) || contents.length === 0) {
    return violation(
      service,
      'contents',
      'contents is not specified',
      'Unable to submit request because it must include at least one contents field, which describes the prompt input. Learn more: https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/gemini',
    );
  }
  for (const [index, content] of contents.entries()) {
    const invalid = validateContent(content, `contents[${index}]`, service, { system: false });
    if (invalid) return invalid;
  }
  const systemInstruction = field(body, 'systemInstruction');
  if (systemInstruction !== undefined) {
    const invalid = validateContent(systemInstruction, 'system_instruction', service, { system: true });
    if (invalid) return invalid;
  }
  const tools = field(body, 'tools');
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return invalidArgument(`Invalid value at 'tools', ${JSON.stringify(tools)}`);
    for (const [toolIndex, tool] of tools.entries()) {
      const declarations = isObject(tool) ? field(tool, 'functionDeclarations') : undefined;
      if (!Array.isArray(declarations)) continue;
      for (const [index, declaration] of declarations.entries()) {
        const name = isObject(declaration) ? declaration.name : undefined;
        if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) {
          const message =
            'Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.';
          return violation(service, `tools[${toolIndex}].function_declarations[${index}].name`, message, message);
        }
      }
    }
  }
  const generationConfig = field(body, 'generationConfig');
  if (generationConfig !== undefined) {
    if (!isObject(generationConfig)) return invalidArgument(`Invalid value at 'generation_config', ${JSON.stringify(generationConfig)}`);
    for (const name of Object.keys(generationConfig)) {
      if (!GENERATION_CONFIG_FIELDS.has(camelCase(name))) return unknownField(name, 'generation_config');
    }
  }
  return undefined;
}

function validateContent(content: unknown, path: string, service: GoogleService, options: { system: boolean }): GoogleError | undefined {
  if (!isObject(content)) return invalidArgument(`Invalid value at '${path}', ${JSON.stringify(content)}`);
  const role = content.role;
  if (!options.system && role !== undefined && role !== 'user' && role !== 'model') {
    return invalidArgument('Please use a valid role: user, model.');
  }
  const parts = content.parts;
  if (!Array.isArray(parts) || parts.length === 0) {
    return violation(
      service,
      `${path}.parts`,
      'contents.parts must not be empty.',
      'Unable to submit request because it must include at least one parts field, which describes the prompt input. Learn more: https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/gemini',
    );
  }
  for (const [index, part] of parts.entries()) {
    const partPath = `${path}.parts[${index}]`;
    if (!isObject(part) || !PART_DATA_FIELDS.some((name) => field(part, name) !== undefined)) {
      return violation(
        service,
        `${partPath}.data`,
        "required oneof field 'data' must have one initialized field",
        'Unable to submit request because it has an empty parts field. Learn more: https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/gemini',
      );
    }
    const set = PART_DATA_FIELDS.filter((name) => field(part, name) !== undefined);
    if (set.length > 1) return invalidArgument(`Invalid JSON payload received. Oneof field 'data' is already set. Cannot set '${set[1]}'`);
    for (const kind of ['functionCall', 'functionResponse']) {
      const call = field(part, kind);
      if (call === undefined) continue;
      if (!isObject(call) || typeof call.name !== 'string' || call.name === '') {
        return violation(service, `${partPath}.${snakeCase(kind)}.name`, 'Name cannot be empty.', `${snakeCase(kind)}.name cannot be empty.`);
      }
    }
    const inlineData = field(part, 'inlineData');
    if (inlineData !== undefined) {
      const invalid = validateInlineData(inlineData, `${partPath}.inline_data`, service);
      if (invalid) return invalid;
    }
    const fileData = field(part, 'fileData');
    if (fileData !== undefined) {
      const invalid = validateFileData(fileData, `${partPath}.file_data`, service);
      if (invalid) return invalid;
    }
  }
  return undefined;
}

/** A required field left out or empty, worded as each API words it. */
function missingField(service: GoogleService, path: string, name: string): GoogleError {
  const camel = camelCase(name);
  return violation(
    service,
    `${path}.${name}`,
    `${name} is not specified`,
    `Unable to submit request because it has an empty ${camel} parameter. Add a value to the parameter and try again. Learn more: https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/gemini`,
  );
}

/** A media type the API does not take, as both APIs word it. */
function unsupportedMimeType(mimeType: string): GoogleError {
  return invalidArgument(
    `Unable to submit request because it has a mimeType parameter with value ${mimeType}, which is not supported. Update the mimeType and try again. Learn more: https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/gemini`,
  );
}

/** Images and video go as they are; documents and audio must be of a type the API documents. */
function takesMimeType(service: GoogleService, mimeType: string): boolean {
  return mimeType.startsWith('image/') || mimeType.startsWith('video/') || FILE_TYPES[service].has(mimeType);
}

function validateInlineData(blob: unknown, path: string, service: GoogleService): GoogleError | undefined {
  if (!isObject(blob)) return invalidArgument(`Invalid value at '${path}' (type.googleapis.com/google.ai.generativelanguage.v1beta.Blob), ${JSON.stringify(blob)}`);
  for (const name of Object.keys(blob)) {
    if (!BLOB_FIELDS.has(camelCase(name))) return unknownField(name, path);
  }
  const mimeType = field(blob, 'mimeType');
  if (typeof mimeType !== 'string' || mimeType === '') return missingField(service, path, 'mime_type');
  const data = field(blob, 'data');
  if (typeof data !== 'string' || data === '') return missingField(service, path, 'data');
  if (!BASE64.test(data) || data.replace(/=+$/, '').length % 4 === 1) {
    return invalidArgument(`Invalid value at '${path}.data' (TYPE_BYTES), Base64 decoding failed for "${data.slice(0, 100)}"`);
  }
  if (!takesMimeType(service, mimeType)) return unsupportedMimeType(mimeType);
  return undefined;
}

function validateFileData(fileData: unknown, path: string, service: GoogleService): GoogleError | undefined {
  if (!isObject(fileData)) return invalidArgument(`Invalid value at '${path}' (type.googleapis.com/google.ai.generativelanguage.v1beta.FileData), ${JSON.stringify(fileData)}`);
  for (const name of Object.keys(fileData)) {
    if (!FILE_DATA_FIELDS[service].has(camelCase(name))) return unknownField(name, path);
  }
  const fileUri = field(fileData, 'fileUri');
  if (typeof fileUri !== 'string' || fileUri === '') return missingField(service, path, 'file_uri');
  const mimeType = field(fileData, 'mimeType');
  // The Gemini API reads an uploaded file's type from the Files API; Vertex AI requires one.
  if (service === 'vertex' && (typeof mimeType !== 'string' || mimeType === '')) return missingField(service, path, 'mime_type');
  if (!FILE_URI[service].test(fileUri)) return invalidArgument(`Invalid or unsupported file uri: ${fileUri}`);
  if (typeof mimeType === 'string' && mimeType !== '' && !takesMimeType(service, mimeType)) return unsupportedMimeType(mimeType);
  return undefined;
}

/** Everything the prompt holds as text, for estimating its token count when the script gives none. */
function promptCharacters(body: JsonObject): number {
  const relevant = [field(body, 'contents'), field(body, 'systemInstruction'), field(body, 'tools')];
  let characters = 0;
  const visit = (value: unknown): void => {
    if (typeof value === 'string') characters += value.length;
    else if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) for (const [key, nested] of Object.entries(value)) if (key !== 'role') visit(nested);
  };
  relevant.forEach(visit);
  return characters;
}

function estimateTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}

const FINISH_REASONS: Record<NonNullable<Reply['finishReason']>, string> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  'tool-calls': 'STOP',
  'content-filter': 'SAFETY',
};

/** Scripted usage in Gemini's fields: `candidatesTokenCount` leaves thoughts out, `promptTokenCount` holds cached content. */
interface GeminiUsage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
}

interface RenderedReply {
  textParts: string[];
  functionCallParts: JsonObject[];
  finishReason: string;
  usage: GeminiUsage;
}

function renderReply(reply: Reply, body: JsonObject, chunkSize: number | undefined): RenderedReply {
  const text = reply.text ?? '';
  const functionCallParts = (reply.toolCalls ?? []).map((call) => {
    // The API carries arguments as a Struct, so scripted JSON text must parse to an object.
    const args = typeof call.arguments === 'string' ? (JSON.parse(call.arguments) as unknown) : call.arguments;
    const functionCall: JsonObject = { name: call.name, args };
    if (call.id !== undefined) functionCall.id = call.id;
    return { functionCall };
  });
  const outputCharacters = text.length + functionCallParts.reduce((sum, part) => sum + JSON.stringify(part.functionCall).length, 0);
  // reg's outputTokens include reasoning; Gemini counts thoughts apart from the candidates.
  const outputTokens = reply.usage?.outputTokens ?? (outputCharacters === 0 ? 0 : estimateTokens(outputCharacters));
  const thoughts = reply.usage?.reasoningTokens ?? 0;
  const usage: GeminiUsage = {
    // Gemini's prompt count holds everything read, cached content included; it reports no cache writes.
    promptTokenCount: reply.usage?.inputTokens ?? estimateTokens(promptCharacters(body)),
    candidatesTokenCount: Math.max(0, outputTokens - thoughts),
  };
  if (thoughts > 0) usage.thoughtsTokenCount = thoughts;
  if (reply.usage?.cachedInputTokens !== undefined) usage.cachedContentTokenCount = reply.usage.cachedInputTokens;
  const finishReason = FINISH_REASONS[reply.finishReason ?? (functionCallParts.length > 0 ? 'tool-calls' : 'stop')];
  return { textParts: splitText(text, chunkSize), functionCallParts, finishReason, usage };
}

function usageMetadata(service: GoogleService, usage: GeminiUsage, options: { final: boolean }): JsonObject {
  const promptTokensDetails = [{ modality: 'TEXT', tokenCount: usage.promptTokenCount }];
  if (!options.final) {
    // Mid-stream the Gemini API reports the prompt so far; the counts are running totals, not deltas.
    return { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount, promptTokensDetails };
  }
  const thoughts = usage.thoughtsTokenCount ?? 0;
  const metadata: JsonObject = {
    promptTokenCount: usage.promptTokenCount,
    candidatesTokenCount: usage.candidatesTokenCount,
    // The sum of the disjoint counts: prompt, candidates, thoughts (and tool-use prompt, never scripted).
    totalTokenCount: usage.promptTokenCount + usage.candidatesTokenCount + thoughts,
  };
  if (usage.cachedContentTokenCount !== undefined) metadata.cachedContentTokenCount = usage.cachedContentTokenCount;
  metadata.promptTokensDetails = promptTokensDetails;
  if (usage.thoughtsTokenCount !== undefined) metadata.thoughtsTokenCount = usage.thoughtsTokenCount;
  if (service === 'vertex') {
    metadata.candidatesTokensDetails = [{ modality: 'TEXT', tokenCount: usage.candidatesTokenCount }];
    metadata.trafficType = 'ON_DEMAND';
  }
  return metadata;
}

const BLOCKED_RATING = [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }];

function candidate(service: GoogleService, parts: JsonObject[], finishReason: string | undefined): JsonObject {
  const rendered: JsonObject = {};
  // A blocked answer comes without content when nothing was generated.
  if (parts.length > 0 || finishReason !== 'SAFETY') rendered.content = { parts, role: 'model' };
  if (finishReason !== undefined) rendered.finishReason = finishReason;
  if (finishReason === 'SAFETY') rendered.safetyRatings = BLOCKED_RATING;
  if (service === 'gemini') rendered.index = 0;
  return rendered;
}

interface ResponseIdentity {
  service: GoogleService;
  model: string;
  responseId: string;
  createTime: string;
}

function responseEnvelope(identity: ResponseIdentity, candidateBody: JsonObject, usage: JsonObject | undefined): JsonObject {
  const response: JsonObject = { candidates: [candidateBody] };
  if (usage) response.usageMetadata = usage;
  response.modelVersion = identity.model;
  if (identity.service === 'vertex') response.createTime = identity.createTime;
  response.responseId = identity.responseId;
  return response;
}

/** The `GenerateContentResponse` of a unary call. */
export function generateContentResponse(identity: ResponseIdentity, rendered: RenderedReply): JsonObject {
  const text = rendered.textParts.join('');
  const parts: JsonObject[] = [];
  if (text.length > 0 || rendered.functionCallParts.length === 0) parts.push({ text });
  parts.push(...rendered.functionCallParts);
  const candidateParts = rendered.finishReason === 'SAFETY' && text.length === 0 && rendered.functionCallParts.length === 0 ? [] : parts;
  return responseEnvelope(identity, candidate(identity.service, candidateParts, rendered.finishReason), usageMetadata(identity.service, rendered.usage, { final: true }));
}

/**
 * The streamed answer: one `GenerateContentResponse` per text piece, function calls whole in one
 * chunk each, the last chunk carrying the finish reason and the final usage.
 */
export function generateContentChunks(identity: ResponseIdentity, rendered: RenderedReply): JsonObject[] {
  const pieces: JsonObject[][] = [
    ...rendered.textParts.map((text) => [{ text }]),
    ...rendered.functionCallParts.map((part) => [part]),
  ];
  if (pieces.length === 0 && rendered.finishReason !== 'SAFETY') pieces.push([{ text: '' }]);
  if (pieces.length === 0) pieces.push([]);
  return pieces.map((parts, index) => {
    const final = index === pieces.length - 1;
    const usage =
      final || identity.service === 'gemini' ? usageMetadata(identity.service, rendered.usage, { final }) : undefined;
    return responseEnvelope(identity, candidate(identity.service, parts, final ? rendered.finishReason : undefined), usage);
  });
}

/** The `google.rpc.Status` a stream error carries; `fault.type` names its status (default INTERNAL). */
function inBandError(service: GoogleService, fault: Extract<Fault, { kind: 'stream-error' }>): GoogleError {
  const status = fault.type ?? 'INTERNAL';
  const code = googleCodeForStatusName(status);
  return { code, status, message: fault.message ?? defaultGoogleErrorMessage(service, code) };
}

/** A truncated response object: valid framing around JSON the client cannot parse. */
const TRUNCATED_CHUNK = '{"candidates": [{"content": {"parts": [{"text": "';

/** `?alt=sse`: each chunk is one `data:` event; Google ends events with CRLF CRLF. */
function ssePlan(service: GoogleService, chunks: JsonObject[]): StreamPlan {
  return {
    frames: chunks.map((chunk) => ({ data: `data: ${JSON.stringify(chunk)}\r\n\r\n`, content: true })),
    inBandError: (fault) => `data: ${JSON.stringify(googleErrorBody(inBandError(service, fault)))}\r\n\r\n`,
    malformed: () => `data: ${TRUNCATED_CHUNK}\r\n\r\n`,
  };
}

/** Without `alt=sse` the stream is one JSON array whose elements arrive as they are generated. */
function jsonArrayPlan(service: GoogleService, chunks: JsonObject[]): StreamPlan {
  const frames: StreamFrame[] = chunks.map((chunk, index) => ({
    data: `${index === 0 ? '[' : ',\r\n'}${JSON.stringify(chunk)}`,
    content: true,
  }));
  frames.push({ data: ']' });
  return {
    frames,
    inBandError: (fault) => `,\r\n${JSON.stringify(googleErrorBody(inBandError(service, fault)))}\r\n]`,
    malformed: () => `,\r\n${TRUNCATED_CHUNK}`,
  };
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'content-disposition': 'attachment',
  vary: 'Origin, X-Origin, Referer',
  'x-content-type-options': 'nosniff',
};

const JSON_HEADERS = { 'content-type': GOOGLE_JSON_CONTENT_TYPE, vary: 'Origin, X-Origin, Referer' };

function responseId(): string {
  return randomBytes(15).toString('base64url');
}

/** Serves `:generateContent` and `:streamGenerateContent` once the caller is authenticated. */
export async function handleGenerateContent(exchange: Exchange, target: GenerateTarget): Promise<void> {
  const parsed = parseGenerateBody(exchange);
  if ('error' in parsed) return sendGoogleError(exchange, parsed.error);
  const invalid = validateGenerateContentRequest(parsed.body, target.service);
  if (invalid) return sendGoogleError(exchange, invalid);

  const { script, outcome } = exchange.take(target.model);
  if (await applyTransportFaults(exchange, script, outcome, { stream: target.stream })) return;
  if (isFault(outcome) && outcome.kind === 'status') return sendGoogleStatusFault(exchange, target.service, outcome);

  const fault = isFault(outcome) ? outcome : undefined;
  const reply: Reply = fault ? (script.reply ?? echoReply(exchange.request)) : (outcome as Reply);
  const rendered = renderReply(reply, parsed.body, script.chunkSize);
  const identity: ResponseIdentity = {
    service: target.service,
    model: target.model,
    responseId: responseId(),
    createTime: new Date().toISOString(),
  };

  if (target.stream) {
    const chunks = generateContentChunks(identity, rendered);
    const sse = exchange.request.query.alt === 'sse';
    return streamFrames({
      headers: sse ? SSE_HEADERS : JSON_HEADERS,
      plan: sse ? ssePlan(target.service, chunks) : jsonArrayPlan(target.service, chunks),
      script,
      outcome: fault ?? reply,
      response: exchange.response,
      closed: exchange.closed,
      sleep: exchange.sleep,
      // Node corks an HTTP/1.1 response until the next tick; destroying the socket in the same tick
      // as the last write would drop the parts a cut is meant to deliver first.
      reset: () => setImmediate(() => exchange.reset()),
    });
  }
  const response = generateContentResponse(identity, rendered);
  if (fault) return sendStreamFaultAsJson(exchange, target.service, fault, response);
  exchange.json(200, response, JSON_HEADERS);
}

/**
 * Stream faults scripted for a unary call: an in-band error becomes that error's status; a cut or
 * malformed stream becomes a body that breaks off or is not JSON. Pacing faults leave the answer whole.
 */
function sendStreamFaultAsJson(exchange: Exchange, service: GoogleService, fault: Fault, response: JsonObject): void {
  const text = JSON.stringify(response);
  const broken = text.slice(0, Math.floor(text.length / 2));
  switch (fault.kind) {
    case 'stream-error':
      return sendGoogleError(exchange, inBandError(service, fault));
    case 'cut':
      exchange.response.writeHead(200, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(text) });
      exchange.response.write(broken);
      return void setImmediate(() => exchange.reset());
    case 'malformed':
      exchange.response.writeHead(200, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(broken) });
      return exchange.response.end(broken);
    default:
      exchange.json(200, response, JSON_HEADERS);
  }
}
