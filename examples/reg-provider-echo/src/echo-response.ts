import type { ContentPart, FinishReason, ModelResult, Usage } from '@reg/core';

/** The parts of a Chat Completions response this provider reads. */
export interface EchoCompletion {
  id?: string;
  choices?: Array<{
    message?: { content?: string | null; tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }> };
    finish_reason?: string | null;
  }>;
  usage?: EchoUsage | null;
}

export interface EchoUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

/** The first choice as reg's result; `requestId` from the response header, else the completion id. */
export function mapEchoCompletion(completion: EchoCompletion, requestId: string | null): ModelResult {
  const choice = completion.choices?.[0];
  const content: ContentPart[] = [];
  if (choice?.message?.content) content.push({ type: 'text', text: choice.message.content });
  (choice?.message?.tool_calls ?? []).forEach((call, index) => {
    content.push({
      type: 'tool-call',
      toolCallId: call.id ?? `call_${index}`,
      toolName: call.function?.name ?? '',
      input: parseToolInput(call.function?.arguments),
    });
  });
  const result: ModelResult = { content, finishReason: mapFinishReason(choice?.finish_reason), usage: mapUsage(completion.usage) };
  if (choice?.finish_reason) result.rawFinishReason = choice.finish_reason;
  const id = requestId ?? completion.id;
  if (id) result.requestId = id;
  return result;
}

export function mapFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

/** `prompt_tokens` already counts cached reads, which is what reg's inputTokens means (cached is a subset). */
export function mapUsage(usage: EchoUsage | null | undefined): Usage {
  const inputTokens = usage?.prompt_tokens ?? 0;
  const outputTokens = usage?.completion_tokens ?? 0;
  const mapped: Usage = { inputTokens, outputTokens, totalTokens: usage?.total_tokens ?? inputTokens + outputTokens };
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') mapped.cachedInputTokens = cached;
  return mapped;
}

/** Tool arguments are JSON text; a model that wrote something else keeps it as the raw string. */
export function parseToolInput(text: string | undefined): unknown {
  if (!text || text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
