import type { FunctionCall, GenerateContentResponse, GenerateContentResponseUsageMetadata } from '@google/genai';
import type { ContentPart, ModelResult, ToolCall, Usage } from '@reg/core';
import { mapGoogleFinishReason } from './map-google-finish-reason.js';

/** Tool-call ids reg makes up for calls Gemini sent without one; never sent back to the API. */
export const GENERATED_CALL_ID_PREFIX = 'gemini-call-';

/**
 * Gemini's counts in reg's meaning. `totalTokenCount` is the sum of four disjoint counts:
 * `promptTokenCount` (the prompt, cached content included), `toolUsePromptTokenCount` (results of
 * server-side tools fed back to the model: input), `candidatesTokenCount` (the answer, thoughts
 * excluded) and `thoughtsTokenCount`. So input is prompt + tool-use prompt, output is candidates +
 * thoughts; cache reads are `cachedContentTokenCount`; Gemini reports no cache writes.
 */
export function mapGoogleUsage(metadata: GenerateContentResponseUsageMetadata | undefined): Usage {
  const inputTokens = (metadata?.promptTokenCount ?? 0) + (metadata?.toolUsePromptTokenCount ?? 0);
  const thoughts = metadata?.thoughtsTokenCount;
  const outputTokens = (metadata?.candidatesTokenCount ?? 0) + (thoughts ?? 0);
  const usage: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (metadata?.cachedContentTokenCount !== undefined) usage.cachedInputTokens = metadata.cachedContentTokenCount;
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}

/** Gemini may omit a call's id; the made-up one is stable for the response and the call's position. */
export function mapGoogleToolCall(call: FunctionCall, responseId: string | undefined, index: number): ToolCall {
  return {
    toolCallId: call.id ?? `${GENERATED_CALL_ID_PREFIX}${responseId ?? 'response'}-${index}`,
    toolName: call.name ?? '',
    input: call.args ?? {},
  };
}

export function mapGoogleResponse(response: GenerateContentResponse): ModelResult {
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
    if (part.functionCall) content.push({ type: 'tool-call', ...mapGoogleToolCall(part.functionCall, response.responseId, calls++) });
  }
  const blockReason = response.promptFeedback?.blockReason;
  const result: ModelResult = {
    content,
    finishReason: mapGoogleFinishReason({ finishReason: candidate?.finishReason, blockReason, hasToolCalls: calls > 0 }),
    usage: mapGoogleUsage(response.usageMetadata),
  };
  const rawFinishReason = blockReason ?? candidate?.finishReason;
  if (rawFinishReason) result.rawFinishReason = rawFinishReason;
  if (response.responseId) result.requestId = response.responseId;
  return result;
}
