import type { ChatRequest, ProviderOptions } from '@reg/core';
import type { LanguageModelV4CallOptions, SharedV4ProviderOptions } from '@ai-sdk/provider';
import { isRecord } from '@reg/provider-utils';
import type { AiSdkOptions } from './ai-sdk-options.js';
import { convertToAiSdkMessages } from './convert-to-ai-sdk-messages.js';

export interface CallOptionsInput {
  request: ChatRequest;
  options: AiSdkOptions;
  signal: AbortSignal;
  /** reg's provider name: `request.providerOptions[provider]` sets AI SDK call options. */
  provider: string;
  /** The language model's specification version: v4 tags file data, v2 and v3 take it raw. */
  specificationVersion: string;
  /** The key the model's provider reads its providerOptions from (`mistral` for `mistral.chat`). */
  providerOptionsKey: string;
}

/** Call options the AI SDK has that reg's request does not; `request.providerOptions['ai-sdk']` may set these. */
const EXTRA_CALL_OPTIONS = new Set(['topK', 'seed', 'presencePenalty', 'frequencyPenalty', 'reasoning', 'headers', 'includeRawChunks']);

/** Builds the AI SDK call options: client options give defaults, the request wins. */
export function buildAiSdkCallOptions(input: CallOptionsInput): LanguageModelV4CallOptions {
  const { request, options } = input;
  const callOptions: LanguageModelV4CallOptions = {
    prompt: convertToAiSdkMessages(request.messages, input.specificationVersion),
    abortSignal: input.signal,
  };
  const maxOutputTokens = request.maxTokens ?? options.maxTokens;
  if (maxOutputTokens !== undefined) callOptions.maxOutputTokens = maxOutputTokens;
  const temperature = request.temperature ?? options.temperature;
  if (temperature !== undefined) callOptions.temperature = temperature;
  const topP = request.topP ?? options.topP;
  if (topP !== undefined) callOptions.topP = topP;
  const stopSequences = request.stopSequences ?? options.stopSequences;
  if (stopSequences !== undefined) callOptions.stopSequences = stopSequences;
  if (options.topK !== undefined) callOptions.topK = options.topK;
  if (options.seed !== undefined) callOptions.seed = options.seed;
  if (options.presencePenalty !== undefined) callOptions.presencePenalty = options.presencePenalty;
  if (options.frequencyPenalty !== undefined) callOptions.frequencyPenalty = options.frequencyPenalty;
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
  const extra = request.providerOptions?.[input.provider];
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
      if (key === input.provider || !isRecord(value)) continue;
      merged[key] = { ...merged[key], ...value };
    }
  };
  add(input.options.providerOptions);
  if (Object.keys(input.options.passthrough).length > 0) add({ [input.providerOptionsKey]: input.options.passthrough });
  add(input.request.providerOptions);
  return merged as SharedV4ProviderOptions;
}
