import type { ModelStreamPart } from '@reg/core';
import type OpenAI from 'openai';
import { parseToolInput } from '@reg/provider-utils';
import { mapOpenAIResponsesFinishReason } from './map-openai-responses-finish-reason.js';
import { mapOpenAIResponsesUsage } from './map-openai-responses-response.js';

type StreamEvent = OpenAI.Responses.ResponseStreamEvent;

/** A failure the stream reported in band, in the shape of an OpenAI error body. */
export interface InBandFailure {
  message: string;
  code?: string | null;
  type?: string;
  param?: string | null;
}

interface PendingToolCall {
  toolCallId: string;
  toolName: string;
}

/**
 * Responses API stream events as reg stream parts. Function calls are keyed by item id, because
 * argument deltas name the item, not the call. The one finish part comes from the terminal event
 * (`response.completed` or `response.incomplete`); a `response.failed` (or an `error` event the
 * SDK let through) becomes `fail(...)`'s error.
 */
export async function* mapOpenAIResponsesStream(
  events: AsyncIterable<StreamEvent>,
  fail: (failure: InBandFailure) => Error,
): AsyncGenerator<ModelStreamPart, void, undefined> {
  const toolCalls = new Map<string, PendingToolCall>();
  let sawToolCall = false;
  let finish: ModelStreamPart | undefined;
  try {
    for await (const event of events) {
      // Read the body to its end after the terminal event. Leaving the loop early makes the SDK
      // abort the request (it waits for a [DONE] this API never sends), which destroys the
      // kept-alive socket whenever the body's last bytes are still in flight.
      if (finish) continue;
      switch (event.type) {
        case 'response.output_text.delta':
        case 'response.refusal.delta':
          if (event.delta) yield { type: 'text-delta', text: event.delta };
          break;
        case 'response.output_item.added':
          if (event.item.type === 'function_call' && event.item.id) {
            toolCalls.set(event.item.id, { toolCallId: event.item.call_id, toolName: event.item.name });
          }
          break;
        case 'response.function_call_arguments.delta': {
          const call = toolCalls.get(event.item_id);
          if (call && event.delta) yield { type: 'tool-call-delta', ...call, inputDelta: event.delta };
          break;
        }
        case 'response.output_item.done':
          if (event.item.type === 'function_call') {
            sawToolCall = true;
            const { call_id, name, arguments: text } = event.item;
            yield { type: 'tool-call', toolCallId: call_id, toolName: name, input: parseToolInput(text) };
          }
          break;
        case 'response.completed':
        case 'response.incomplete': {
          const { response } = event;
          const hasToolCalls = sawToolCall || response.output.some((item) => item.type === 'function_call');
          finish = { type: 'finish', ...mapOpenAIResponsesFinishReason(response, hasToolCalls), usage: mapOpenAIResponsesUsage(response.usage) };
          break;
        }
        case 'response.failed': {
          const error = event.response.error;
          throw fail({ message: error?.message ?? 'The response failed.', code: error?.code ?? null, type: error?.code ?? undefined });
        }
        case 'error':
          throw fail({ message: event.message, code: event.code, param: event.param });
        default:
          break;
      }
    }
  } catch (error) {
    // The answer was already whole; a connection that breaks after it does not undo it.
    if (!finish) throw error;
  }
  if (finish) yield finish;
}
