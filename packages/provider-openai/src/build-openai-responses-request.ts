import type { ChatRequest, ToolChoice, ToolDefinition } from '@reg/core';
import { isRecord } from '@reg/provider-utils';
import type OpenAI from 'openai';
import { convertToOpenAIResponsesMessages, type ResponsesConversion } from './convert-to-openai-responses-messages.js';

/** What one request needs: who sends it (see ResponsesConversion), the client's defaults and the request. */
export interface ResponsesRequestInput extends ResponsesConversion {
  /** The client's request options, already in the Responses API's names (pass-through included). */
  defaults: Readonly<Record<string, unknown>>;
  request: ChatRequest;
}

/**
 * The `POST /v1/responses` body for one reg request: client defaults first, then what the request
 * says, then the request's own `providerOptions`, so the more specific always wins.
 */
export function buildOpenAIResponsesRequest(input: ResponsesRequestInput): Record<string, unknown> {
  const { request, defaults } = input;
  const body: Record<string, unknown> = { ...defaults, model: input.model, input: convertToOpenAIResponsesMessages(request.messages, input) };
  if (request.maxTokens !== undefined) body.max_output_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  // stopSequences are left out: the Responses API has none, and `stop` would fail the request with a 400.
  // Built-in tools from the client's options (web_search, file_search) stay next to the request's functions.
  if (request.tools?.length) body.tools = [...(Array.isArray(defaults.tools) ? defaults.tools : []), ...request.tools.map(convertTool)];
  if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice);
  if (request.responseFormat?.type === 'json') {
    const { schema, name } = request.responseFormat;
    const format = schema ? { type: 'json_schema', name: name ?? 'response', schema, strict: false } : { type: 'json_object' };
    const text = isRecord(defaults.text) ? defaults.text : {};
    body.text = { ...text, format };
  }
  const extra = request.providerOptions?.[input.provider];
  return extra ? { ...body, ...extra } : body;
}

function convertTool(tool: ToolDefinition): OpenAI.Responses.FunctionTool {
  // strict: false, because strict mode rejects schemas that leave properties optional.
  return { type: 'function', name: tool.name, description: tool.description ?? null, parameters: tool.inputSchema, strict: false };
}

function convertToolChoice(choice: ToolChoice): OpenAI.Responses.ResponseCreateParams['tool_choice'] {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.toolName };
}
