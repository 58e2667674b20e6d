import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ContentPart, ModelResult, Usage } from '@reg/core';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

/** The usage fields as the Messages API reports them (`Usage`, `MessageDeltaUsage`); any may be null or missing. */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

/**
 * Anthropic's `input_tokens` counts only what was neither read from nor written to the cache, so
 * reg's inputTokens adds both back: the reads are cachedInputTokens (set whenever reported), the
 * writes cacheWriteInputTokens (set when there were any: the API reports 0 on every answer that
 * wrote nothing). `output_tokens` already includes thinking; `output_tokens_details.thinking_tokens`
 * (newer models) is reasoningTokens.
 */
export function mapAnthropicUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens;
  const cacheWrite = usage.cache_creation_input_tokens;
  const inputTokens = (usage.input_tokens ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const outputTokens = usage.output_tokens ?? 0;
  const result: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (typeof cacheRead === 'number') result.cachedInputTokens = cacheRead;
  if (cacheWrite) result.cacheWriteInputTokens = cacheWrite;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') result.reasoningTokens = thinking;
  return result;
}

/** A Message -> reg's result. Thinking and server-tool blocks are not part of the answer. */
export function mapAnthropicResponse(message: Message & { _request_id?: string | null }): ModelResult {
  const content: ContentPart[] = [];
  for (const block of message.content) {
    if (block.type === 'text') content.push({ type: 'text', text: block.text });
    else if (block.type === 'tool_use') content.push({ type: 'tool-call', toolCallId: block.id, toolName: block.name, input: block.input });
  }
  const result: ModelResult = {
    content,
    finishReason: mapAnthropicFinishReason(message.stop_reason),
    usage: mapAnthropicUsage(message.usage),
  };
  if (message.stop_reason) result.rawFinishReason = message.stop_reason;
  if (message._request_id) result.requestId = message._request_id;
  return result;
}
