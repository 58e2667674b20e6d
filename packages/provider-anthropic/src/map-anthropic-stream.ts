import type { MessageDeltaUsage, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { RegError, type ModelStreamPart } from '@reg/core';
import { parseToolInput, whoFailed, type ErrorContext } from '@reg/provider-utils';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
import { mapAnthropicUsage, type AnthropicUsage } from './map-anthropic-response.js';

interface ToolBlock {
  id: string;
  name: string;
  json: string;
  /** The input the block opened with, used when no fragment follows. */
  initial: unknown;
}

/**
 * Raw Messages stream events -> reg stream parts. The SDK already skips `ping` and throws on an
 * in-band `error` event. The finish part is yielded once the SDK's stream has ended, so the
 * response is read to its end and its connection goes back to the pool.
 */
export async function* mapAnthropicStream(
  events: AsyncIterable<RawMessageStreamEvent>,
  context: ErrorContext,
): AsyncGenerator<ModelStreamPart, void, undefined> {
  const tools = new Map<number, ToolBlock>();
  const usage: AnthropicUsage = {};
  let stopReason: string | null | undefined;
  let stopped = false;

  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        Object.assign(usage, event.message.usage);
        break;
      case 'content_block_start':
        // A text block opens empty in practice; should it ever open with text, that text is part of the answer.
        if (event.content_block.type === 'text' && event.content_block.text !== '') yield { type: 'text-delta', text: event.content_block.text };
        else if (event.content_block.type === 'tool_use') {
          const block = event.content_block;
          tools.set(event.index, { id: block.id, name: block.name, json: '', initial: block.input });
        }
        break;
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') {
          if (delta.text !== '') yield { type: 'text-delta', text: delta.text };
        } else if (delta.type === 'input_json_delta') {
          const tool = tools.get(event.index);
          if (tool && delta.partial_json !== '') {
            tool.json += delta.partial_json;
            yield { type: 'tool-call-delta', toolCallId: tool.id, toolName: tool.name, inputDelta: delta.partial_json };
          }
        }
        // thinking_delta, signature_delta and citations_delta are not part of the answer.
        break;
      }
      case 'content_block_stop': {
        const tool = tools.get(event.index);
        if (tool) {
          tools.delete(event.index);
          yield { type: 'tool-call', toolCallId: tool.id, toolName: tool.name, input: parseInput(tool) };
        }
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        mergeUsage(usage, event.usage);
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
  }

  if (!stopped) {
    throw new RegError({
      code: 'server',
      retryable: true,
      provider: context.provider,
      model: context.model,
      client: context.client,
      message: `${whoFailed(context)}: the stream ended before message_stop; the answer is incomplete. Retry the call.`,
    });
  }
  const finish: Extract<ModelStreamPart, { type: 'finish' }> = { type: 'finish', finishReason: mapAnthropicFinishReason(stopReason), usage: mapAnthropicUsage(usage) };
  if (stopReason) finish.rawFinishReason = stopReason;
  yield finish;
}

/**
 * message_start's usage counts the input (and an output of 1 or so); message_delta's is cumulative,
 * with the final output and its thinking tokens. A field it leaves null keeps what message_start said,
 * so both end in the same fields the non-streamed Message has, mapped by the same mapAnthropicUsage.
 */
function mergeUsage(usage: AnthropicUsage, delta: MessageDeltaUsage): void {
  if (delta.input_tokens != null) usage.input_tokens = delta.input_tokens;
  if (delta.cache_read_input_tokens != null) usage.cache_read_input_tokens = delta.cache_read_input_tokens;
  if (delta.cache_creation_input_tokens != null) usage.cache_creation_input_tokens = delta.cache_creation_input_tokens;
  if (delta.output_tokens != null) usage.output_tokens = delta.output_tokens;
  if (delta.output_tokens_details != null) usage.output_tokens_details = delta.output_tokens_details;
}

/** Tool input arrives as JSON text in fragments (none: the block's own input); input the model broke is handed over as the text it sent. */
function parseInput(tool: ToolBlock): unknown {
  return tool.json === '' ? (tool.initial ?? {}) : parseToolInput(tool.json);
}
