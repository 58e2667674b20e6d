import type { FinishReason } from '@reg/core';
import type OpenAI from 'openai';

/**
 * The finish reason of a Responses API answer, from its `status` (`completed`, `incomplete`, and
 * any other) and, when incomplete, `incomplete_details.reason` (`max_output_tokens`,
 * `content_filter`). A completed answer with function calls finishes with `tool-calls`.
 */
export function mapOpenAIResponsesFinishReason(response: OpenAI.Responses.Response, hasToolCalls: boolean): { finishReason: FinishReason; rawFinishReason: string } {
  const incompleteReason = response.incomplete_details?.reason ?? undefined;
  if (response.status === 'incomplete') {
    const finishReason: FinishReason =
      incompleteReason === 'max_output_tokens' ? 'length' : incompleteReason === 'content_filter' ? 'content-filter' : 'other';
    return { finishReason, rawFinishReason: incompleteReason ?? 'incomplete' };
  }
  const status = response.status ?? 'completed';
  if (status !== 'completed') return { finishReason: 'other', rawFinishReason: status };
  return { finishReason: hasToolCalls ? 'tool-calls' : 'stop', rawFinishReason: status };
}
