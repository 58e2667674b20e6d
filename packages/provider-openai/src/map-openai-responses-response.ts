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

/** input_tokens already counts the cached ones, as reg's Usage wants. */
export function mapOpenAIResponsesUsage(usage: OpenAI.Responses.ResponseUsage | null | undefined): Usage {
  const inputTokens = usage?.input_tokens ?? 0;
  const outputTokens = usage?.output_tokens ?? 0;
  const cached = usage?.input_tokens_details?.cached_tokens;
  return {
    inputTokens,
    outputTokens,
    totalTokens: usage?.total_tokens ?? inputTokens + outputTokens,
    ...(typeof cached === 'number' ? { cachedInputTokens: cached } : {}),
  };
}
