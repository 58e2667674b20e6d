import type { ChatRequest, ResponseFormat, ToolChoice } from '@reg/core';
import type { ErrorContext } from '@reg/provider-utils';
import { convertToEchoMessages } from './convert-to-echo-messages.js';
import type { EchoReplyRequest } from './echo-api.js';
import type { EchoOptions } from './echo-options.js';

/**
 * The body of one call. Precedence, lowest first: options the provider does not know, client
 * defaults, the request's own fields, `request.providerOptions.echo`; `stream` last, because
 * doGenerate and doStream must not be switched by an option.
 */
export function buildEchoRequest(input: { request: ChatRequest; options: EchoOptions; context: ErrorContext; stream: boolean }): EchoReplyRequest {
  const { request, options, context } = input;
  const { instructions, turns } = convertToEchoMessages(request.messages);
  const body: EchoReplyRequest = { ...options.extraBody, model: options.model, turns, stream: input.stream };
  if (instructions !== undefined) body.instructions = instructions;
  const limit = request.maxTokens ?? options.maxTokens;
  if (limit !== undefined) body.limit = limit;
  const temperature = request.temperature ?? options.temperature;
  if (temperature !== undefined) body.temperature = temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stopSequences?.length) body.stop = request.stopSequences;
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({ name: tool.name, ...(tool.description ? { about: tool.description } : {}), args: tool.inputSchema }));
  }
  if (request.toolChoice) body.tool_mode = toolMode(request.toolChoice);
  const format = toFormat(request.responseFormat);
  if (format) body.format = format;
  Object.assign(body, request.providerOptions?.[context.provider]);
  body.stream = input.stream;
  return body;
}

function toolMode(choice: ToolChoice): EchoReplyRequest['tool_mode'] {
  switch (choice) {
    case 'auto':
      return 'auto';
    case 'none':
      return 'off';
    case 'required':
      return 'must';
    default:
      return { only: choice.toolName };
  }
}

function toFormat(format: ResponseFormat | undefined): EchoReplyRequest['format'] {
  if (!format || format.type === 'text') return undefined;
  return format.schema ? { type: 'json', schema: format.schema } : { type: 'json' };
}
