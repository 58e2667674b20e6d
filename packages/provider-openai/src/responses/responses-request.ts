import type { ChatRequest, ImagePart, Message, ToolChoice, ToolDefinition } from '@reg/core';
import type OpenAI from 'openai';

type InputItem = OpenAI.Responses.ResponseInputItem;
type InputContent = OpenAI.Responses.ResponseInputContent;

export interface ResponsesBodyInput {
  model: string;
  /** The client's request options, already in the Responses API's names (pass-through included). */
  defaults: Readonly<Record<string, unknown>>;
  request: ChatRequest;
  /** The key of `request.providerOptions` this provider reads. */
  providerName: string;
}

/**
 * The `POST /v1/responses` body for one reg request: client defaults first, then what the request
 * says, then the request's own `providerOptions`, so the more specific always wins.
 */
export function buildResponsesBody(input: ResponsesBodyInput): Record<string, unknown> {
  const { request, defaults } = input;
  const body: Record<string, unknown> = { ...defaults, model: input.model, input: convertMessages(request.messages) };
  if (request.maxTokens !== undefined) body.max_output_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  // stopSequences are left out: the Responses API has none, and `stop` would fail the request with a 400.
  // Built-in tools from the client's options (web_search, file_search) stay next to the request's functions.
  if (request.tools?.length) body.tools = [...(Array.isArray(defaults.tools) ? defaults.tools : []), ...request.tools.map(convertTool)];
  if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice);
  if (request.responseFormat?.type === 'json') {
    const { schema, name } = request.responseFormat;
    const format = schema
      ? { type: 'json_schema', name: name ?? 'response', schema, strict: false }
      : { type: 'json_object' };
    const text = isRecord(defaults.text) ? defaults.text : {};
    body.text = { ...text, format };
  }
  const extra = request.providerOptions?.[input.providerName];
  return extra ? { ...body, ...extra } : body;
}

function convertMessages(messages: Message[]): InputItem[] {
  const items: InputItem[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        items.push({ role: 'system', content: textOf(message.content) });
        break;
      case 'user':
        items.push({
          role: 'user',
          content:
            typeof message.content === 'string'
              ? message.content
              : message.content.map((part): InputContent =>
                  part.type === 'text' ? { type: 'input_text', text: part.text } : convertImage(part),
                ),
        });
        break;
      case 'assistant':
        if (typeof message.content === 'string') {
          items.push({ role: 'assistant', content: message.content });
          break;
        }
        // Text and tool calls are separate input items in the Responses API; keep their order.
        for (const part of message.content) {
          if (part.type === 'text') items.push({ role: 'assistant', content: part.text });
          else
            items.push({
              type: 'function_call',
              call_id: part.toolCallId,
              name: part.toolName,
              arguments: JSON.stringify(part.input ?? {}),
            });
        }
        break;
      case 'tool':
        for (const part of message.content) {
          items.push({
            type: 'function_call_output',
            call_id: part.toolCallId,
            output: typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null),
          });
        }
        break;
    }
  }
  return items;
}

function textOf(content: string | Array<{ text: string }>): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n\n');
}

function convertImage(part: ImagePart): InputContent {
  return { type: 'input_image', detail: 'auto', image_url: imageUrl(part) };
}

/** http(s) and data: URLs go as they are; raw bytes or base64 become a data: URL. */
export function imageUrl(part: ImagePart): string {
  if (typeof part.image === 'string') {
    if (/^(https?:|data:)/i.test(part.image)) return part.image;
    return `data:${part.mediaType ?? sniffBase64MediaType(part.image)};base64,${part.image}`;
  }
  const base64 = Buffer.from(part.image.buffer, part.image.byteOffset, part.image.byteLength).toString('base64');
  return `data:${part.mediaType ?? sniffBase64MediaType(base64)};base64,${base64}`;
}

/** The vendor needs a media type; the first bytes of the common image formats give it away. */
function sniffBase64MediaType(base64: string): string {
  if (base64.startsWith('iVBOR')) return 'image/png';
  if (base64.startsWith('R0lG')) return 'image/gif';
  if (base64.startsWith('UklGR')) return 'image/webp';
  return 'image/jpeg';
}

function convertTool(tool: ToolDefinition): OpenAI.Responses.FunctionTool {
  // strict: false, because strict mode rejects schemas that leave properties optional.
  return { type: 'function', name: tool.name, description: tool.description ?? null, parameters: tool.inputSchema, strict: false };
}

function convertToolChoice(choice: ToolChoice): OpenAI.Responses.ResponseCreateParams['tool_choice'] {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.toolName };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
