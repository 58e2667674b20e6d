import type { FunctionCall, GenerateContentResponse, GenerateContentResponseUsageMetadata } from '@google/genai';
import type { ContentPart, FinishReason, ModelResult, ToolCall, Usage } from '@reg/core';
import { GENERATED_CALL_ID_PREFIX } from './google-request.js';

const CONTENT_FILTER_REASONS = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);

/** Gemini's finish reason, with a blocked prompt and function calls taken into account. */
export function toFinishReason(options: { finishReason?: string; blockReason?: string; hasToolCalls: boolean }): FinishReason {
  if (options.blockReason) return 'content-filter';
  const reason = options.finishReason;
  if (reason !== undefined && CONTENT_FILTER_REASONS.has(reason)) return 'content-filter';
  if (reason === 'MAX_TOKENS') return 'length';
  if (options.hasToolCalls) return 'tool-calls';
  if (reason === 'STOP') return 'stop';
  return 'other';
}

/** promptTokenCount already includes cached tokens; thinking tokens are output the caller pays for. */
export function toUsage(metadata: GenerateContentResponseUsageMetadata | undefined): Usage {
  const inputTokens = metadata?.promptTokenCount ?? 0;
  const outputTokens = (metadata?.candidatesTokenCount ?? 0) + (metadata?.thoughtsTokenCount ?? 0);
  const usage: Usage = { inputTokens, outputTokens, totalTokens: metadata?.totalTokenCount ?? inputTokens + outputTokens };
  if (metadata?.cachedContentTokenCount !== undefined) usage.cachedInputTokens = metadata.cachedContentTokenCount;
  return usage;
}

/** Gemini may omit a call's id; the made-up one is stable for the response and the call's position. */
export function toToolCall(call: FunctionCall, responseId: string | undefined, index: number): ToolCall {
  return {
    toolCallId: call.id ?? `${GENERATED_CALL_ID_PREFIX}${responseId ?? 'response'}-${index}`,
    toolName: call.name ?? '',
    input: call.args ?? {},
  };
}

export function toModelResult(response: GenerateContentResponse): ModelResult {
  const candidate = response.candidates?.[0];
  const content: ContentPart[] = [];
  let calls = 0;
  for (const part of candidate?.content?.parts ?? []) {
    // Thought summaries are the model's reasoning, not its answer.
    if (part.thought) continue;
    if (typeof part.text === 'string' && part.text.length > 0) {
      const last = content.at(-1);
      if (last?.type === 'text') last.text += part.text;
      else content.push({ type: 'text', text: part.text });
    }
    if (part.functionCall) content.push({ type: 'tool-call', ...toToolCall(part.functionCall, response.responseId, calls++) });
  }
  const blockReason = response.promptFeedback?.blockReason;
  const result: ModelResult = {
    content,
    finishReason: toFinishReason({ finishReason: candidate?.finishReason, blockReason, hasToolCalls: calls > 0 }),
    usage: toUsage(response.usageMetadata),
  };
  const rawFinishReason = blockReason ?? candidate?.finishReason;
  if (rawFinishReason) result.rawFinishReason = rawFinishReason;
  if (response.responseId) result.requestId = response.responseId;
  return result;
}
