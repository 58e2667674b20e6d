import type { AssistantMessage, ChatRequest, ImagePart, Message, ResponseFormat, TextPart, ToolChoice, UserMessage } from '@reg/core';
import { PROVIDER_NAME, type EchoOptions } from './echo-options.js';

type Json = Record<string, unknown>;

/**
 * The Chat Completions body for one attempt. Precedence, lowest first: options the provider does
 * not know, client defaults, the request's own fields, `request.providerOptions.echo`; `stream` last,
 * because doGenerate and doStream must not be switched by an option.
 */
export function buildEchoBody(request: ChatRequest, options: EchoOptions, stream: boolean): Json {
  const body: Json = { ...options.extraBody, model: options.model, messages: request.messages.flatMap(toOpenAIMessages) };
  setIfDefined(body, 'temperature', request.temperature ?? options.temperature);
  setIfDefined(body, 'max_tokens', request.maxTokens ?? options.maxTokens);
  setIfDefined(body, 'top_p', request.topP);
  if (request.stopSequences?.length) body.stop = request.stopSequences;
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.inputSchema },
    }));
  }
  if (request.toolChoice) body.tool_choice = toToolChoice(request.toolChoice);
  const responseFormat = toResponseFormat(request.responseFormat);
  if (responseFormat) body.response_format = responseFormat;
  Object.assign(body, request.providerOptions?.[PROVIDER_NAME]);
  body.stream = stream;
  // Without this, OpenAI-compatible servers send no usage in a stream.
  if (stream) body.stream_options = { include_usage: true, ...(isRecord(body.stream_options) ? body.stream_options : {}) };
  else delete body.stream_options;
  return body;
}

function toOpenAIMessages(message: Message): Json[] {
  switch (message.role) {
    case 'system':
      // Some compatible servers take only a string here, so text parts are joined.
      return [{ role: 'system', content: typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('\n\n') }];
    case 'user':
      return [{ role: 'user', content: userContent(message.content) }];
    case 'assistant':
      return [assistantMessage(message.content)];
    case 'tool':
      return message.content.map((part) => ({
        role: 'tool',
        tool_call_id: part.toolCallId,
        content: typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null),
      }));
  }
}

function userContent(content: UserMessage['content']): string | Json[] {
  if (typeof content === 'string') return content;
  return content.map((part: TextPart | ImagePart) =>
    part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image_url', image_url: { url: imageUrl(part) } },
  );
}

function assistantMessage(content: AssistantMessage['content']): Json {
  if (typeof content === 'string') return { role: 'assistant', content };
  let text = '';
  const toolCalls: Json[] = [];
  for (const part of content) {
    if (part.type === 'text') text += part.text;
    else toolCalls.push({ id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) } });
  }
  return toolCalls.length > 0 ? { role: 'assistant', content: text || null, tool_calls: toolCalls } : { role: 'assistant', content: text };
}

/** URLs and data: URLs as given; raw base64 and bytes become a data: URL. */
function imageUrl(part: ImagePart): string {
  const mediaType = part.mediaType ?? 'image/png';
  if (typeof part.image !== 'string') return `data:${mediaType};base64,${Buffer.from(part.image).toString('base64')}`;
  return /^(https?:|data:)/i.test(part.image) ? part.image : `data:${mediaType};base64,${part.image}`;
}

function toToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.toolName } };
}

function toResponseFormat(format: ResponseFormat | undefined): Json | undefined {
  if (!format || format.type === 'text') return undefined;
  if (!format.schema) return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: format.name ?? 'response', schema: format.schema } };
}

function setIfDefined(body: Json, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
