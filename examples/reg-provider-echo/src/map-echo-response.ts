import type { ContentPart, ModelResult, Usage } from '@reg/core';
import type { EchoReply, EchoTokens } from './echo-api.js';
import { mapEchoFinishReason } from './map-echo-finish-reason.js';

/** An Echo answer as reg's result: its output in order, the stop word, and the token counts. */
export function mapEchoResponse(reply: EchoReply): ModelResult {
  const content: ContentPart[] = [];
  for (const item of reply.output ?? []) {
    if (item.type === 'text') {
      if (item.text) content.push({ type: 'text', text: item.text });
    } else if (item.type === 'call') {
      content.push({ type: 'tool-call', toolCallId: item.id, toolName: item.tool, input: item.args ?? {} });
    }
  }
  const result: ModelResult = { content, finishReason: mapEchoFinishReason(reply.stop), usage: mapEchoUsage(reply.tokens) };
  if (reply.stop) result.rawFinishReason = reply.stop;
  if (reply.id) result.requestId = reply.id;
  return result;
}

/**
 * The API counts as reg does: `in` already holds the cache reads (`cached`) and writes
 * (`cache_written`), `out` the reasoning (`reasoning`). A part the API leaves out stays unset.
 */
export function mapEchoUsage(tokens: EchoTokens | undefined): Usage {
  const inputTokens = tokens?.in ?? 0;
  const outputTokens = tokens?.out ?? 0;
  const usage: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (tokens?.cached !== undefined) usage.cachedInputTokens = tokens.cached;
  if (tokens?.cache_written !== undefined) usage.cacheWriteInputTokens = tokens.cache_written;
  if (tokens?.reasoning !== undefined) usage.reasoningTokens = tokens.reasoning;
  return usage;
}
