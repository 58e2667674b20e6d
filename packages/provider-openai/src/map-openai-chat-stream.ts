import { RegError, type ModelStreamPart, type Usage } from '@reg/core';
import { parseToolInput, whoFailed, type ErrorContext } from '@reg/provider-utils';
import type OpenAI from 'openai';
import { mapOpenAIChatFinishReason } from './map-openai-chat-finish-reason.js';
import { mapOpenAIChatUsage } from './map-openai-chat-response.js';

interface PendingToolCall {
  toolCallId: string;
  toolName: string;
  input: string;
  /** False while the id is a stand-in: some servers send the real one after the first piece. */
  hasVendorId: boolean;
}

/**
 * Chat Completions chunks as reg stream parts. Tool calls arrive in pieces keyed by `index` (the
 * id and name first); each is complete once the choice reports its finish reason. Usage comes in
 * a last chunk without choices, so `finish` is yielded when the stream ends.
 */
export async function* mapOpenAIChatStream(
  chunks: AsyncIterable<OpenAI.ChatCompletionChunk>,
  who: ErrorContext,
): AsyncGenerator<ModelStreamPart, void, undefined> {
  const toolCalls = new Map<number, PendingToolCall>();
  let rawFinishReason: string | undefined;
  let usage: Usage | undefined;

  for await (const chunk of chunks) {
    if (chunk.usage) usage = mapOpenAIChatUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta;
    if (delta?.content) yield { type: 'text-delta', text: delta.content };

    for (const [position, call] of (delta?.tool_calls ?? []).entries()) {
      const index = call.index ?? position;
      let pending = toolCalls.get(index);
      if (!pending) {
        pending = { toolCallId: call.id ?? `call_${index}`, toolName: call.function?.name ?? '', input: '', hasVendorId: Boolean(call.id) };
        toolCalls.set(index, pending);
      } else {
        if (call.id && !pending.hasVendorId) Object.assign(pending, { toolCallId: call.id, hasVendorId: true });
        if (call.function?.name && !pending.toolName) pending.toolName = call.function.name;
      }
      const inputDelta = call.function?.arguments;
      if (inputDelta) {
        pending.input += inputDelta;
        yield { type: 'tool-call-delta', toolCallId: pending.toolCallId, toolName: pending.toolName, inputDelta };
      }
    }

    if (choice.finish_reason) {
      rawFinishReason = choice.finish_reason;
      yield* completeToolCalls(toolCalls);
    }
  }

  if (rawFinishReason === undefined) {
    throw new RegError({
      code: 'server',
      retryable: true,
      message: `${whoFailed(who)}: the stream ended before the model finished.`,
      client: who.client,
      provider: who.provider,
      model: who.model,
    });
  }
  yield* completeToolCalls(toolCalls);
  yield {
    type: 'finish',
    finishReason: mapOpenAIChatFinishReason(rawFinishReason),
    rawFinishReason,
    usage: usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
  };
}

function* completeToolCalls(toolCalls: Map<number, PendingToolCall>): Generator<ModelStreamPart> {
  for (const call of toolCalls.values()) {
    yield { type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input: parseToolInput(call.input) };
  }
  toolCalls.clear();
}
