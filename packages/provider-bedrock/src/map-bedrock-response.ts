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
 * Converse's usage in reg's meaning. Its `inputTokens` leaves out the tokens read from and written
 * to the prompt cache (`cacheReadInputTokens`, `cacheWriteInputTokens`), so they are added back;
 * its `outputTokens` includes reasoning, which it does not report apart. Models that cache send
 * `cacheWriteInputTokens: 0` on answers that wrote nothing, so only writes that happened are
 * reported as `cacheWriteInputTokens`.
 */
export function mapBedrockUsage(usage: TokenUsage | undefined): Usage {
  const cacheRead = usage?.cacheReadInputTokens;
  const cacheWrite = usage?.cacheWriteInputTokens;
  const inputTokens = (usage?.inputTokens ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const outputTokens = usage?.outputTokens ?? 0;
  const mapped: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (cacheRead !== undefined) mapped.cachedInputTokens = cacheRead;
  if (cacheWrite) mapped.cacheWriteInputTokens = cacheWrite;
  return mapped;
}
