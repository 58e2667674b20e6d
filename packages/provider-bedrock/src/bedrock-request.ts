import type {
  ContentBlock,
  ConverseRequest,
  ImageFormat,
  InferenceConfiguration,
  Message,
  SystemContentBlock,
  Tool,
  ToolChoice as BedrockToolChoice,
  ToolConfiguration,
  ToolResultContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { RegError, type ChatRequest, type ImagePart, type ToolChoice } from '@reg/core';
import { isRecord, type BedrockOptions } from './bedrock-options.js';

export const PROVIDER_NAME = 'aws-bedrock';

/** The Converse input without `modelId`, which the model adds. */
export type ConverseInput = Omit<ConverseRequest, 'modelId'>;

interface ConvertContext {
  options: BedrockOptions;
  client: string;
}

/**
 * Turns a reg request into a Converse request. Client options give defaults, the request wins,
 * and `providerOptions['aws-bedrock']` merges last, into the Converse body.
 */
export function toConverseInput(request: ChatRequest, context: ConvertContext): ConverseInput {
  const { options } = context;
  const system: SystemContentBlock[] = [];
  const messages: Message[] = [];

  const push = (role: 'user' | 'assistant', content: ContentBlock[]) => {
    if (content.length === 0) return;
    // Converse requires alternating roles; reg's tool messages and consecutive user turns merge.
    const last = messages.at(-1);
    if (last?.role === role) last.content = [...(last.content ?? []), ...content];
    else messages.push({ role, content });
  };

  for (const [index, message] of request.messages.entries()) {
    switch (message.role) {
      case 'system':
        for (const text of textsOf(message.content)) system.push({ text });
        break;
      case 'user':
        push('user', typeof message.content === 'string' ? textBlocks(message.content) : message.content.map((part) => (part.type === 'text' ? { text: part.text } : imageBlock(part, index, context))));
        break;
      case 'assistant':
        push(
          'assistant',
          typeof message.content === 'string'
            ? textBlocks(message.content)
            : message.content.flatMap((part): ContentBlock[] =>
                part.type === 'text'
                  ? textBlocks(part.text)
                  : [{ toolUse: { toolUseId: part.toolCallId, name: part.toolName, input: toDocument(part.input) } }],
              ),
        );
        break;
      case 'tool':
        push(
          'user',
          message.content.map((part) => ({
            toolResult: { toolUseId: part.toolCallId, content: [toolResultContent(part.output)], status: part.isError ? 'error' : 'success' },
          })),
        );
        break;
    }
  }

  const input: ConverseInput = { messages };
  if (request.responseFormat?.type === 'json' && !request.responseFormat.schema) {
    // Converse has no schema-less JSON mode; an instruction is the portable way to ask for it.
    system.push({ text: 'Respond with a single valid JSON value and nothing else.' });
  }
  if (system.length > 0) input.system = system;

  const inference = inferenceConfig(request, options);
  if (inference) input.inferenceConfig = inference;

  const toolConfig = toolConfiguration(request, messages);
  if (toolConfig) input.toolConfig = toolConfig;

  if (request.responseFormat?.type === 'json' && request.responseFormat.schema) {
    input.outputConfig = {
      textFormat: {
        type: 'json_schema',
        structure: { jsonSchema: { schema: JSON.stringify(request.responseFormat.schema), name: request.responseFormat.name ?? 'response' } },
      },
    };
  }
  if (options.additional_model_request_fields) input.additionalModelRequestFields = toDocument(options.additional_model_request_fields);
  Object.assign(input, options.passthrough);

  const extra = request.providerOptions?.[PROVIDER_NAME];
  if (extra) mergeProviderOptions(input, extra);
  return input;
}

function inferenceConfig(request: ChatRequest, options: BedrockOptions): InferenceConfiguration | undefined {
  const defaults = options.inference_configuration ?? {};
  const config: InferenceConfiguration = {};
  const maxTokens = request.maxTokens ?? defaults.max_tokens;
  const temperature = request.temperature ?? defaults.temperature;
  const topP = request.topP ?? defaults.top_p;
  const stopSequences = request.stopSequences ?? defaults.stop_sequences;
  if (maxTokens !== undefined) config.maxTokens = maxTokens;
  if (temperature !== undefined) config.temperature = temperature;
  if (topP !== undefined) config.topP = topP;
  if (stopSequences !== undefined && stopSequences.length > 0) config.stopSequences = stopSequences;
  return Object.keys(config).length > 0 ? config : undefined;
}

/**
 * Converse has no `none` tool choice. With `none` the tools are left out, unless the conversation
 * already holds tool blocks: then Bedrock requires the toolConfig, and the model may still call.
 */
function toolConfiguration(request: ChatRequest, messages: Message[]): ToolConfiguration | undefined {
  const tools: Tool[] = (request.tools ?? []).map((tool) => ({
    toolSpec: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: { json: toDocument(tool.inputSchema) },
    },
  }));
  const historyUsesTools = messages.some((message) => message.content?.some((block) => block.toolUse || block.toolResult));
  if (tools.length === 0) {
    if (!historyUsesTools) return undefined;
    throw new RegError({
      code: 'invalid_request',
      message: 'Bedrock Converse needs the tool definitions (request.tools) when the conversation contains tool calls or tool results.',
    });
  }
  if (request.toolChoice === 'none' && !historyUsesTools) return undefined;
  const toolChoice = toolChoiceOf(request.toolChoice);
  return toolChoice ? { tools, toolChoice } : { tools };
}

function toolChoiceOf(choice: ToolChoice | undefined): BedrockToolChoice | undefined {
  if (choice === undefined || choice === 'none') return undefined;
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  return { tool: { name: choice.toolName } };
}

const IMAGE_FORMATS: Record<string, ImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** Converse takes image bytes and a format; it cannot fetch URLs. */
function imageBlock(part: ImagePart, messageIndex: number, context: ConvertContext): ContentBlock {
  const fail = (reason: string) =>
    new RegError({
      code: 'invalid_request',
      message: `Client '${context.client}' (aws-bedrock): the image in messages[${messageIndex}] ${reason}`,
      retryable: false,
    });
  let bytes: Uint8Array;
  let mediaType = part.mediaType;
  if (part.image instanceof Uint8Array) {
    bytes = part.image;
  } else if (/^https?:\/\//i.test(part.image)) {
    throw fail('is an http(s) URL, which Bedrock Converse does not fetch: download it and pass the bytes (Uint8Array) or base64 with mediaType.');
  } else if (part.image.startsWith('data:')) {
    const match = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(part.image);
    if (!match?.[2]) throw fail('is a data URL that is not base64-encoded.');
    mediaType = match[1] ?? mediaType;
    bytes = Buffer.from(match[3] ?? '', 'base64');
  } else {
    bytes = Buffer.from(part.image, 'base64');
  }
  const format = mediaType ? IMAGE_FORMATS[mediaType.toLowerCase()] : sniffFormat(bytes);
  if (!format) throw fail(`has media type ${mediaType ?? 'unknown'}; Bedrock Converse takes image/png, image/jpeg, image/gif or image/webp.`);
  return { image: { format, source: { bytes } } };
}

/** Raw bytes without a media type: the format is in the first bytes. */
function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (...values: number[]) => values.every((value, index) => bytes[index] === value);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'webp';
  return undefined;
}

function toolResultContent(output: unknown): ToolResultContentBlock {
  if (typeof output === 'string') return { text: output };
  // Converse's json member must be an object; other JSON values travel as their text.
  return isRecord(output) ? { json: toDocument(output) } : { text: JSON.stringify(output) ?? 'null' };
}

function textsOf(content: string | Array<{ type: 'text'; text: string }>): string[] {
  const texts = typeof content === 'string' ? [content] : content.map((part) => part.text);
  return texts.filter((text) => text !== '');
}

/** Converse rejects empty text blocks. */
function textBlocks(text: string): ContentBlock[] {
  return text === '' ? [] : [{ text }];
}

/** The SDK types documents as its own `DocumentType`; any JSON value is one. */
function toDocument(value: unknown): NonNullable<ContentBlock.ToolUseMember['toolUse']['input']> {
  return value as NonNullable<ContentBlock.ToolUseMember['toolUse']['input']>;
}

/** `providerOptions['aws-bedrock']`: Converse fields, with objects merged one level deep. */
function mergeProviderOptions(input: ConverseInput, extra: Record<string, unknown>): void {
  const target = input as Record<string, unknown>;
  for (const [key, value] of Object.entries(extra)) {
    const current = target[key];
    target[key] = isRecord(current) && isRecord(value) ? { ...current, ...value } : value;
  }
}
