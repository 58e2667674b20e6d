import type { ConverseStreamOutput, TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import { RegError, type ModelStreamPart } from '@reg/core';
import { mapStopReason, mapUsage } from './bedrock-response.js';

interface ToolBlock {
  toolCallId: string;
  toolName: string;
  input: string;
}

/** The exception members of ConverseStream's event union, should the SDK hand one over as an event. */
const EXCEPTION_MEMBERS = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
] as const;

/**
 * ConverseStream events to reg stream parts. The stop reason (messageStop) and the usage
 * (metadata) arrive in two events, so `finish` goes out when the stream ends; a stream that ends
 * before messageStop was cut short and fails.
 */
export async function* mapConverseStream(
  events: AsyncIterable<ConverseStreamOutput>,
  options: { signal: AbortSignal; client: string },
): AsyncGenerator<ModelStreamPart> {
  const { signal, client } = options;
  const tools = new Map<number, ToolBlock>();
  let stopReason: string | undefined;
  let usage: TokenUsage | undefined;

  for await (const event of events) {
    for (const member of EXCEPTION_MEMBERS) {
      const exception = event[member as keyof ConverseStreamOutput] as { message?: string } | undefined;
      if (exception) throw Object.assign(new Error(exception.message ?? member), { name: member });
    }
    if (event.contentBlockStart?.start?.toolUse) {
      const { toolUseId, name } = event.contentBlockStart.start.toolUse;
      tools.set(event.contentBlockStart.contentBlockIndex ?? tools.size, { toolCallId: toolUseId ?? '', toolName: name ?? '', input: '' });
    } else if (event.contentBlockDelta?.delta) {
      const { delta, contentBlockIndex } = event.contentBlockDelta;
      if (delta.text) yield { type: 'text-delta', text: delta.text };
      const fragment = delta.toolUse?.input;
      const tool = tools.get(contentBlockIndex ?? -1);
      if (tool && fragment) {
        tool.input += fragment;
        yield { type: 'tool-call-delta', toolCallId: tool.toolCallId, toolName: tool.toolName, inputDelta: fragment };
      }
    } else if (event.contentBlockStop) {
      const index = event.contentBlockStop.contentBlockIndex ?? -1;
      const tool = tools.get(index);
      if (tool) {
        tools.delete(index);
        yield { type: 'tool-call', toolCallId: tool.toolCallId, toolName: tool.toolName, input: parseToolInput(tool, client) };
      }
    } else if (event.messageStop) {
      stopReason = event.messageStop.stopReason ?? 'end_turn';
    } else if (event.metadata) {
      usage = event.metadata.usage;
    }
  }

  // The SDK ends the iteration quietly when the request is aborted; the abort is the outcome.
  if (signal.aborted) throw signal.reason;
  if (stopReason === undefined) {
    throw new RegError({
      code: 'server',
      retryable: true,
      message: `The Bedrock response stream of client '${client}' ended before its messageStop event.`,
    });
  }
  // A tool block the stream never closed is complete once the message is.
  for (const tool of tools.values()) {
    yield { type: 'tool-call', toolCallId: tool.toolCallId, toolName: tool.toolName, input: parseToolInput(tool, client) };
  }
  const finish: ModelStreamPart = { type: 'finish', finishReason: mapStopReason(stopReason), usage: mapUsage(usage), rawFinishReason: stopReason };
  yield finish;
}

function parseToolInput(tool: ToolBlock, client: string): unknown {
  if (tool.input === '') return {};
  try {
    return JSON.parse(tool.input) as unknown;
  } catch (cause) {
    throw new RegError({
      code: 'server',
      retryable: true,
      message: `Bedrock streamed tool input for '${tool.toolName}' to client '${client}' that is not valid JSON.`,
      cause,
    });
  }
}
