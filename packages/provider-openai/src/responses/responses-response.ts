import type { ContentPart, FinishReason, ModelResult, Usage } from '@reg/core';
import type OpenAI from 'openai';

type Response = OpenAI.Responses.Response;

/** A completed (or incomplete) Responses API answer as reg's result. Reasoning items carry no answer text and are skipped. */
export function convertResponse(response: Response, requestId: string | null | undefined): ModelResult {
  const content: ContentPart[] = [];
  for (const item of response.output) {
    if (item.type === 'message') {
      for (const part of item.content) {
        const text = part.type === 'output_text' ? part.text : part.refusal;
        if (text) content.push({ type: 'text', text });
      }
    } else if (item.type === 'function_call') {
      content.push({ type: 'tool-call', toolCallId: item.call_id, toolName: item.name, input: parseArguments(item.arguments) });
    }
  }
  const hasToolCalls = content.some((part) => part.type === 'tool-call');
  return {
    content,
    ...finishOf(response, hasToolCalls),
    usage: convertUsage(response.usage),
    ...(requestId ? { requestId } : {}),
  };
}

export function finishOf(response: Response, hasToolCalls: boolean): { finishReason: FinishReason; rawFinishReason: string } {
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

/** input_tokens already counts the cached ones, as reg's Usage wants. */
export function convertUsage(usage: OpenAI.Responses.ResponseUsage | null | undefined): Usage {
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

/** Arguments the model produced; kept as the raw text when they are not valid JSON, so nothing is lost. */
export function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
