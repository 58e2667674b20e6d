import type { ConverseCommandOutput, TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import type { ContentPart, ModelResult, Usage } from '@reg/core';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.js';

/** A Converse answer as reg's result: text and tool calls in order, the stop reason, usage and the request id. */
export function mapBedrockResponse(response: ConverseCommandOutput): ModelResult {
  const content: ContentPart[] = [];
  for (const block of response.output?.message?.content ?? []) {
    if (block.text !== undefined && block.text !== '') content.push({ type: 'text', text: block.text });
    else if (block.toolUse) {
      content.push({ type: 'tool-call', toolCallId: block.toolUse.toolUseId ?? '', toolName: block.toolUse.name ?? '', input: block.toolUse.input ?? {} });
    }
  }
  const result: ModelResult = {
    content,
    finishReason: mapBedrockFinishReason(response.stopReason),
    usage: mapBedrockUsage(response.usage),
  };
  if (response.stopReason) result.rawFinishReason = response.stopReason;
  if (response.$metadata.requestId) result.requestId = response.$metadata.requestId;
  return result;
}

/**
 * Bedrock counts cache reads and writes apart from `inputTokens`; reg's inputTokens is every
 * prompt token, of which cachedInputTokens were read from the cache.
 */
export function mapBedrockUsage(usage: TokenUsage | undefined): Usage {
  const cacheRead = usage?.cacheReadInputTokens ?? 0;
  const cacheWrite = usage?.cacheWriteInputTokens ?? 0;
  const inputTokens = (usage?.inputTokens ?? 0) + cacheRead + cacheWrite;
  const outputTokens = usage?.outputTokens ?? 0;
  const mapped: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (usage?.cacheReadInputTokens !== undefined) mapped.cachedInputTokens = cacheRead;
  return mapped;
}
