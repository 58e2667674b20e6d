import type { ContentPart, ModelResult, Usage } from '@reg/core';
import type OpenAI from 'openai';
import { parseToolInput } from '@reg/provider-utils';
import { mapOpenAIChatFinishReason } from './map-openai-chat-finish-reason.js';

/** A Chat Completions response as reg's result: the first choice, its finish reason and usage. */
export function mapOpenAIChatResponse(completion: OpenAI.ChatCompletion & { _request_id?: string | null }): ModelResult {
  const choice = completion.choices?.[0];
  const content: ContentPart[] = [];
  const text = choice?.message?.content;
  if (text) content.push({ type: 'text', text });
  for (const call of choice?.message?.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.function.name, input: parseToolInput(call.function.arguments) });
  }
  const result: ModelResult = {
    content,
    finishReason: mapOpenAIChatFinishReason(choice?.finish_reason),
    usage: mapOpenAIChatUsage(completion.usage),
  };
  if (choice?.finish_reason) result.rawFinishReason = choice.finish_reason;
  // OpenAI and Azure send x-request-id; OpenRouter's generation id is the completion id.
  const requestId = completion._request_id ?? completion.id;
  if (requestId) result.requestId = requestId;
  return result;
}

/**
 * Chat Completions usage in reg's meaning, which is the vendor's own: `prompt_tokens` counts all
 * input, cache reads (`cached_tokens`) and writes (`cache_write_tokens`, which OpenRouter reports)
 * included; `completion_tokens` all output, `reasoning_tokens` included. Cache writes and reasoning
 * are set when counted (OpenAI reports `reasoning_tokens: 0` for every model that does not reason).
 */
export function mapOpenAIChatUsage(usage: OpenAI.CompletionUsage | null | undefined): Usage {
  const inputTokens = usage?.prompt_tokens ?? 0;
  const outputTokens = usage?.completion_tokens ?? 0;
  const mapped: Usage = { inputTokens, outputTokens, totalTokens: usage?.total_tokens ?? inputTokens + outputTokens };
  const input = usage?.prompt_tokens_details;
  if (typeof input?.cached_tokens === 'number') mapped.cachedInputTokens = input.cached_tokens;
  if (input?.cache_write_tokens) mapped.cacheWriteInputTokens = input.cache_write_tokens;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  if (reasoning) mapped.reasoningTokens = reasoning;
  return mapped;
}
