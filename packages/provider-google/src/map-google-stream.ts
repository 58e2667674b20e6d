import type { GenerateContentResponse, GenerateContentResponseUsageMetadata } from '@google/genai';
import type { ModelStreamPart } from '@reg/core';
import { mapGoogleFinishReason } from './map-google-finish-reason.js';
import { mapGoogleToolCall, mapGoogleUsage } from './map-google-response.js';

/**
 * Gemini streams whole responses: text pieces, and each function call complete in one chunk
 * (no argument deltas), so a call yields one delta with its full JSON, then the call. The last
 * chunk carries the finish reason and the final usage.
 */
export async function* mapGoogleStream(chunks: AsyncIterable<GenerateContentResponse>): AsyncGenerator<ModelStreamPart> {
  let finishReason: string | undefined;
  let blockReason: string | undefined;
  let usage: GenerateContentResponseUsageMetadata | undefined;
  let calls = 0;
  for await (const chunk of chunks) {
    if (chunk.usageMetadata) usage = chunk.usageMetadata;
    blockReason ??= chunk.promptFeedback?.blockReason;
    const candidate = chunk.candidates?.[0];
    if (candidate?.finishReason) finishReason = candidate.finishReason;
    for (const part of candidate?.content?.parts ?? []) {
      if (part.thought) continue;
      if (typeof part.text === 'string' && part.text.length > 0) yield { type: 'text-delta', text: part.text };
      if (part.functionCall) {
        const call = mapGoogleToolCall(part.functionCall, chunk.responseId, calls++);
        yield { type: 'tool-call-delta', toolCallId: call.toolCallId, toolName: call.toolName, inputDelta: JSON.stringify(call.input) };
        yield { type: 'tool-call', ...call };
      }
    }
  }
  const finish: Extract<ModelStreamPart, { type: 'finish' }> = {
    type: 'finish',
    finishReason: mapGoogleFinishReason({ finishReason, blockReason, hasToolCalls: calls > 0 }),
    usage: mapGoogleUsage(usage),
  };
  const rawFinishReason = blockReason ?? finishReason;
  if (rawFinishReason) finish.rawFinishReason = rawFinishReason;
  yield finish;
}
