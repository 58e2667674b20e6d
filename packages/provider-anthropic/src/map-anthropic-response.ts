import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ContentPart, ModelResult, Usage } from '@reg/core';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

/** The usage fields as the Messages API reports them; cache counts may be null or missing. */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/**
 * Anthropic's `input_tokens` counts only what was neither read from nor written to the cache;
 * reg's inputTokens is the whole prompt, with the cache reads as its cached subset.
 */
export function mapAnthropicUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const inputTokens = (usage.input_tokens ?? 0) + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  const outputTokens = usage.output_tokens ?? 0;
  const result: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (usage.cache_read_input_tokens !== undefined && usage.cache_read_input_tokens !== null) result.cachedInputTokens = cacheRead;
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
