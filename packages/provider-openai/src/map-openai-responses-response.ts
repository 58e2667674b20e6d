import type { ContentPart, ModelResult, Usage } from '@reg/core';
import type OpenAI from 'openai';
import { parseToolInput } from '@reg/provider-utils';
import { mapOpenAIResponsesFinishReason } from './map-openai-responses-finish-reason.js';

/** A completed (or incomplete) Responses API answer as reg's result. Reasoning items carry no answer text and are skipped. */
export function mapOpenAIResponsesResponse(response: OpenAI.Responses.Response, requestId: string | null | undefined): ModelResult {
  const content: ContentPart[] = [];
  for (const item of response.output) {
    if (item.type === 'message') {
      for (const part of item.content) {
        const text = part.type === 'output_text' ? part.text : part.refusal;
        if (text) content.push({ type: 'text', text });
      }
    } else if (item.type === 'function_call') {
      content.push({ type: 'tool-call', toolCallId: item.call_id, toolName: item.name, input: parseToolInput(item.arguments) });
    }
  }
  const hasToolCalls = content.some((part) => part.type === 'tool-call');
  return {
    content,
    ...mapOpenAIResponsesFinishReason(response, hasToolCalls),
    usage: mapOpenAIResponsesUsage(response.usage),
    ...(requestId ? { requestId } : {}),
  };
}

/**
 * Responses usage in reg's meaning, which is the vendor's own: `input_tokens` counts all input,
 * cache reads (`cached_tokens`) and writes (`cache_write_tokens`) included; `output_tokens` all
 * output, `reasoning_tokens` included. Cache writes and reasoning are set when counted.
 */
export function mapOpenAIResponsesUsage(usage: OpenAI.Responses.ResponseUsage | null | undefined): Usage {
  const inputTokens = usage?.input_tokens ?? 0;
  const outputTokens = usage?.output_tokens ?? 0;
  const mapped: Usage = { inputTokens, outputTokens, totalTokens: usage?.total_tokens ?? inputTokens + outputTokens };
  const input = usage?.input_tokens_details;
  if (typeof input?.cached_tokens === 'number') mapped.cachedInputTokens = input.cached_tokens;
  if (input?.cache_write_tokens) mapped.cacheWriteInputTokens = input.cache_write_tokens;
  const reasoning = usage?.output_tokens_details?.reasoning_tokens;
  if (reasoning) mapped.reasoningTokens = reasoning;
  return mapped;
}
