import { RegError, type ModelStreamPart } from '@reg/core';
import { isRecord, whoFailed } from '@reg/provider-utils';
import { mapAiSdkError, type AiSdkErrorContext } from './map-ai-sdk-error.js';
import { mapAiSdkFinishReason } from './map-ai-sdk-finish-reason.js';
import { mapUsage, toolInputOf } from './map-ai-sdk-response.js';

/**
 * Turns an AI SDK stream (v2, v3 or v4 parts) into reg's stream parts: text deltas, tool input
 * deltas named by their `tool-input-start`, complete tool calls with parsed input, and one finish.
 * An `error` part throws, mapped like a thrown error. After `finish` the vendor's stream is read
 * to its end, so the connection goes back to the pool; an early exit cancels it.
 */
export async function* mapAiSdkStream(stream: ReadableStream<unknown>, context: AiSdkErrorContext): AsyncGenerator<ModelStreamPart, void, undefined> {
  const reader = stream.getReader();
  const toolNames = new Map<string, string>();
  const toolsWithDeltas = new Set<string>();
  let done = false;
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        throw mapAiSdkError(error, context);
      }
      if (next.done) {
        done = true;
        return;
      }
      const part = next.value;
      if (!isRecord(part)) continue;
      switch (part.type) {
        case 'text-delta': {
          // v4/v3 name it `delta`, v2 `textDelta`.
          const text = typeof part.delta === 'string' ? part.delta : part.textDelta;
          if (typeof text === 'string' && text !== '') yield { type: 'text-delta', text };
          break;
        }
        case 'tool-input-start':
          if (part.providerExecuted !== true) toolNames.set(String(part.id), String(part.toolName));
          break;
        case 'tool-input-delta': {
          const toolName = toolNames.get(String(part.id));
          if (toolName !== undefined && typeof part.delta === 'string' && part.delta !== '') {
            toolsWithDeltas.add(String(part.id));
            yield { type: 'tool-call-delta', toolCallId: String(part.id), toolName, inputDelta: part.delta };
          }
          break;
        }
        case 'tool-call': {
          if (part.providerExecuted === true) break;
          const toolCallId = String(part.toolCallId);
          const toolName = String(part.toolName);
          const rawInput = part.input ?? part.args;
          // A package that sends only whole tool calls still gives the caller one delta per call.
          if (!toolsWithDeltas.has(toolCallId) && typeof rawInput === 'string' && rawInput !== '') {
            yield { type: 'tool-call-delta', toolCallId, toolName, inputDelta: rawInput };
          }
          yield { type: 'tool-call', toolCallId, toolName, input: toolInputOf(rawInput) };
          break;
        }
        case 'error':
          throw mapAiSdkError(part.error, context);
        case 'finish': {
          const { finishReason, rawFinishReason, unified } = mapAiSdkFinishReason(part.finishReason);
          if (unified === 'interrupted' || unified === 'error') {
            throw new RegError({
              code: 'server',
              retryable: true,
              client: context.client,
              provider: context.provider,
              model: context.model,
              message: `${whoFailed(context)}: the ${context.vendor} stream ended without completing (finish reason '${unified}'). Retry the call.`,
            });
          }
          yield { type: 'finish', finishReason, usage: mapUsage(part.usage), ...(rawFinishReason === undefined ? {} : { rawFinishReason }) };
          break;
        }
        default:
          // stream-start, response-metadata, text/tool-input start and end, reasoning, sources, files, raw: not part of reg's stream.
          break;
      }
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
