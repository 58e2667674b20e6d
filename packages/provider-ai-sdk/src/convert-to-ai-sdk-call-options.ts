import type { ChatRequest, ImagePart, Message, ProviderOptions, ToolResultPart } from '@reg/core';
import type {
  JSONValue,
  LanguageModelV4CallOptions,
  LanguageModelV4FilePart,
  LanguageModelV4Message,
  LanguageModelV4ToolResultOutput,
  SharedV4ProviderOptions,
} from '@ai-sdk/provider';
import { isRecord, PROVIDER_NAME, type AiSdkOptions } from './ai-sdk-options.js';

export interface CallOptionsInput {
  request: ChatRequest;
  options: AiSdkOptions;
  signal: AbortSignal;
  /** The language model's specification version: v4 tags file data, v2 and v3 take it raw. */
  specificationVersion: string;
  /** The key the model's provider reads its providerOptions from (`mistral` for `mistral.chat`). */
  providerOptionsKey: string;
}

/** Call options the AI SDK has that reg's request does not; `request.providerOptions['ai-sdk']` may set these. */
const EXTRA_CALL_OPTIONS = new Set(['topK', 'seed', 'presencePenalty', 'frequencyPenalty', 'reasoning', 'headers', 'includeRawChunks']);

/** Builds the AI SDK call options: client options give defaults, the request wins. */
export function convertToAiSdkCallOptions(input: CallOptionsInput): LanguageModelV4CallOptions {
  const { request, options } = input;
  const callOptions: LanguageModelV4CallOptions = {
    prompt: request.messages.map((message) => convertMessage(message, input.specificationVersion)),
    abortSignal: input.signal,
  };
  const maxOutputTokens = request.maxTokens ?? options.max_tokens;
  if (maxOutputTokens !== undefined) callOptions.maxOutputTokens = maxOutputTokens;
  const temperature = request.temperature ?? options.temperature;
  if (temperature !== undefined) callOptions.temperature = temperature;
  const topP = request.topP ?? options.top_p;
  if (topP !== undefined) callOptions.topP = topP;
  const stopSequences = request.stopSequences ?? options.stop_sequences;
  if (stopSequences !== undefined) callOptions.stopSequences = stopSequences;
  if (options.top_k !== undefined) callOptions.topK = options.top_k;
  if (options.seed !== undefined) callOptions.seed = options.seed;
  if (options.presence_penalty !== undefined) callOptions.presencePenalty = options.presence_penalty;
  if (options.frequency_penalty !== undefined) callOptions.frequencyPenalty = options.frequency_penalty;
  if (options.headers) callOptions.headers = { ...options.headers };

  if (request.tools?.length) {
    callOptions.tools = request.tools.map((tool) => ({
      type: 'function' as const,
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      inputSchema: tool.inputSchema,
    }));
  }
  if (request.toolChoice !== undefined) {
    callOptions.toolChoice = typeof request.toolChoice === 'string' ? { type: request.toolChoice } : { type: 'tool', toolName: request.toolChoice.toolName };
  }
  if (request.responseFormat?.type === 'json') {
    const { schema, name } = request.responseFormat;
    callOptions.responseFormat = { type: 'json', ...(schema ? { schema } : {}), ...(name ? { name } : {}) };
  }

  const providerOptions = mergeProviderOptions(input);
  if (Object.keys(providerOptions).length > 0) callOptions.providerOptions = providerOptions;

  // Last, so a request can set what reg's request has no field for (seed, topK, reasoning, ...).
  const extra = request.providerOptions?.[PROVIDER_NAME];
  if (extra) {
    for (const [key, value] of Object.entries(extra)) {
      if (EXTRA_CALL_OPTIONS.has(key) && value !== undefined) (callOptions as Record<string, unknown>)[key] = value;
    }
  }
  return callOptions;
}

/**
 * Client `provider_options`, then unknown client options under the model's own key (OpenAI-compatible
 * packages send those in the body), then the request's providerOptions, each key merged one level deep.
 */
function mergeProviderOptions(input: CallOptionsInput): SharedV4ProviderOptions {
  const merged: Record<string, Record<string, unknown>> = {};
  const add = (source: ProviderOptions | undefined) => {
    for (const [key, value] of Object.entries(source ?? {})) {
      if (key === PROVIDER_NAME || !isRecord(value)) continue;
      merged[key] = { ...merged[key], ...value };
    }
  };
  add(input.options.provider_options);
  if (Object.keys(input.options.passthrough).length > 0) add({ [input.providerOptionsKey]: input.options.passthrough });
  add(input.request.providerOptions);
  return merged as SharedV4ProviderOptions;
}

function convertMessage(message: Message, specificationVersion: string): LanguageModelV4Message {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('\n') };
    case 'user':
      return {
        role: 'user',
        content:
          typeof message.content === 'string'
            ? [{ type: 'text', text: message.content }]
            : message.content.map((part) =>
                part.type === 'text' ? { type: 'text' as const, text: part.text, ...withOptions(part.providerOptions) } : convertImage(part, specificationVersion),
              ),
      };
    case 'assistant':
      return {
        role: 'assistant',
        content:
          typeof message.content === 'string'
            ? [{ type: 'text', text: message.content }]
            : message.content.map((part) =>
                part.type === 'text'
                  ? { type: 'text' as const, text: part.text, ...withOptions(part.providerOptions) }
                  : { type: 'tool-call' as const, toolCallId: part.toolCallId, toolName: part.toolName, input: part.input ?? {} },
              ),
      };
    case 'tool':
      return {
        role: 'tool',
        content: message.content.map((part) => ({ type: 'tool-result' as const, toolCallId: part.toolCallId, toolName: part.toolName, output: convertToolOutput(part) })),
      };
  }
}

function withOptions(providerOptions: ProviderOptions | undefined): { providerOptions?: SharedV4ProviderOptions } {
  return providerOptions ? { providerOptions: providerOptions as SharedV4ProviderOptions } : {};
}

function convertToolOutput(part: ToolResultPart): LanguageModelV4ToolResultOutput {
  if (typeof part.output === 'string') return { type: part.isError ? 'error-text' : 'text', value: part.output };
  return { type: part.isError ? 'error-json' : 'json', value: (part.output ?? null) as JSONValue };
}

const DATA_URL = /^data:([^;,]+)?(;base64)?,(.*)$/s;

/**
 * An image as an AI SDK file part. v4 tags its data (`{ type: 'url' | 'data' }`); v2 and v3 take a
 * URL object, a base64 string or bytes directly.
 */
function convertImage(part: ImagePart, specificationVersion: string): LanguageModelV4FilePart {
  const tagged = specificationVersion === 'v4';
  const extra = withOptions(part.providerOptions);
  const image = part.image;
  if (typeof image === 'string') {
    const dataUrl = DATA_URL.exec(image);
    if (dataUrl) {
      const mediaType = part.mediaType ?? dataUrl[1] ?? 'image/*';
      const data = dataUrl[2] ? dataUrl[3]! : Buffer.from(decodeURIComponent(dataUrl[3]!), 'utf8').toString('base64');
      return file(tagged ? { type: 'data', data } : data, mediaType, extra);
    }
    if (/^https?:\/\//i.test(image)) {
      const url = new URL(image);
      return file(tagged ? { type: 'url', url } : url, part.mediaType ?? 'image/*', extra);
    }
    return file(tagged ? { type: 'data', data: image } : image, part.mediaType ?? sniffImageType(Buffer.from(image.slice(0, 24), 'base64')), extra);
  }
  return file(tagged ? { type: 'data', data: image } : image, part.mediaType ?? sniffImageType(image), extra);
}

function file(data: unknown, mediaType: string, extra: { providerOptions?: SharedV4ProviderOptions }): LanguageModelV4FilePart {
  // v2/v3 data (raw URL, string or bytes) shares the part's shape but not v4's declared type.
  return { type: 'file', data: data as LanguageModelV4FilePart['data'], mediaType, ...extra };
}

/** The image type from its first bytes, so providers that need a full media type get one. */
function sniffImageType(bytes: Uint8Array): string {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp';
  return 'image/*';
}
