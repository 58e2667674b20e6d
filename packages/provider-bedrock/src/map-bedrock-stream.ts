import type { ConverseStreamOutput, TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import { RegError, type CallOptions, type ModelStreamPart } from '@reg/core';
import { malformedResponseError, whoFailed, type ErrorContext } from '@reg/provider-utils';
import { PROVIDER_NAME } from './bedrock-provider.js';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.js';
import { mapBedrockUsage } from './map-bedrock-response.js';

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
export async function* mapBedrockStream(events: AsyncIterable<ConverseStreamOutput>, options: { call: CallOptions; model: string }): AsyncGenerator<ModelStreamPart> {
  const { call } = options;
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
        yield { type: 'tool-call', toolCallId: tool.toolCallId, toolName: tool.toolName, input: parseToolInput(tool, options) };
      }
    } else if (event.messageStop) {
      stopReason = event.messageStop.stopReason ?? 'end_turn';
    } else if (event.metadata) {
      usage = event.metadata.usage;
    }
  }

  // The SDK ends the iteration quietly when the request is aborted; the abort is the outcome.
  if (call.signal.aborted) throw call.signal.reason;
  if (stopReason === undefined) {
    const context = errorContext(options);
    throw new RegError({ ...context, code: 'server', retryable: true, message: `${whoFailed(context)}: the response stream ended before its messageStop event.` });
  }
  // A tool block the stream never closed is complete once the message is.
  for (const tool of tools.values()) {
    yield { type: 'tool-call', toolCallId: tool.toolCallId, toolName: tool.toolName, input: parseToolInput(tool, options) };
  }
  yield { type: 'finish', finishReason: mapBedrockFinishReason(stopReason), usage: mapBedrockUsage(usage), rawFinishReason: stopReason };
}

function parseToolInput(tool: ToolBlock, options: { call: CallOptions; model: string }): unknown {
  if (tool.input === '') return {};
  try {
    return JSON.parse(tool.input) as unknown;
  } catch (cause) {
    throw malformedResponseError(errorContext(options), new Error(`the streamed input of tool '${tool.toolName}' is not valid JSON`, { cause }));
  }
}

function errorContext(options: { call: CallOptions; model: string }): ErrorContext {
  return { client: options.call.client, provider: PROVIDER_NAME, model: options.model };
}
