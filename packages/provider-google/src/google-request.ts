import type { Content, FunctionCallingConfigMode, GenerateContentConfig, Part, ToolConfig } from '@google/genai';
import type { ChatRequest, ImagePart, Message, ToolChoice } from '@reg/core';
import { camelCase, isRecord, type GoogleCommonOptions } from './google-options.js';

/** Tool-call ids reg made up for calls Gemini sent without one; never sent back to the API. */
export const GENERATED_CALL_ID_PREFIX = 'gemini-call-';

/**
 * The fields of the SDK's GenerateContentConfig a pass-through option may set. The SDK drops
 * config keys it does not know, so anything else goes into the request body as is.
 */
const SDK_CONFIG_KEYS = new Set([
  'serviceTier',
  'systemInstruction',
  'temperature',
  'topP',
  'topK',
  'candidateCount',
  'maxOutputTokens',
  'stopSequences',
  'responseLogprobs',
  'logprobs',
  'presencePenalty',
  'frequencyPenalty',
  'seed',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'routingConfig',
  'modelSelectionConfig',
  'safetySettings',
  'tools',
  'toolConfig',
  'labels',
  'cachedContent',
  'responseModalities',
  'mediaResolution',
  'speechConfig',
  'audioTimestamp',
  'thinkingConfig',
  'audioTranscriptionConfig',
  'imageConfig',
  'enableEnhancedCivicAnswers',
  'modelArmorConfig',
  'generationOutputConfig',
  'store',
]);

export interface GoogleRequest {
  contents: Content[];
  config: GenerateContentConfig;
  /** Merged into the JSON body by the SDK (`httpOptions.extraBody`). */
  extraBody: Record<string, unknown>;
}

/**
 * Client options first, then the request, then the request's providerOptions: later wins.
 * Sampling settings pass through the SDK's config so it renders them into generationConfig.
 */
export function toGoogleRequest(request: ChatRequest, options: GoogleCommonOptions, providerName: string): GoogleRequest {
  const config: GenerateContentConfig = {};
  const extraBody: Record<string, unknown> = {};

  for (const [key, value] of Object.entries(options.generationConfig ?? {})) {
    if (SDK_CONFIG_KEYS.has(key)) (config as Record<string, unknown>)[key] = value;
    else ((extraBody.generationConfig ??= {}) as Record<string, unknown>)[key] = value;
  }
  if (options.safetySettings) config.safetySettings = options.safetySettings as GenerateContentConfig['safetySettings'];
  passThrough(options.passThrough, config, extraBody);

  const defaults = options.generation;
  assign(config, 'temperature', request.temperature ?? defaults.temperature);
  assign(config, 'maxOutputTokens', request.maxTokens ?? defaults.maxTokens);
  assign(config, 'topP', request.topP ?? defaults.topP);
  assign(config, 'topK', defaults.topK);
  assign(config, 'stopSequences', request.stopSequences ?? defaults.stopSequences);

  const { contents, systemInstruction } = toContents(request.messages);
  if (systemInstruction) config.systemInstruction = systemInstruction;

  if (request.tools && request.tools.length > 0) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          parametersJsonSchema: tool.inputSchema,
        })),
      },
    ];
  }
  if (request.toolChoice) config.toolConfig = toToolConfig(request.toolChoice);

  if (request.responseFormat?.type === 'json') {
    config.responseMimeType = 'application/json';
    if (request.responseFormat.schema) config.responseJsonSchema = request.responseFormat.schema;
  }

  const perRequest = request.providerOptions?.[providerName];
  if (perRequest) passThrough(perRequest, config, extraBody);
  return { contents, config, extraBody };
}

function assign<K extends keyof GenerateContentConfig>(config: GenerateContentConfig, key: K, value: GenerateContentConfig[K] | undefined): void {
  if (value !== undefined) config[key] = value;
}

/** Known SDK config fields (under either spelling) go to the config, the rest to the body unchanged. */
function passThrough(values: Record<string, unknown>, config: GenerateContentConfig, extraBody: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    const name = camelCase(key);
    if (name === 'generationConfig' && isRecord(value)) {
      for (const [field, fieldValue] of Object.entries(value)) passThrough({ [field]: fieldValue }, config, extraBody);
    } else if (SDK_CONFIG_KEYS.has(name)) {
      (config as Record<string, unknown>)[name] = value;
    } else {
      extraBody[key] = value;
    }
  }
}

function toToolConfig(choice: ToolChoice): ToolConfig {
  const mode = (value: 'AUTO' | 'ANY' | 'NONE') => value as FunctionCallingConfigMode;
  if (choice === 'auto') return { functionCallingConfig: { mode: mode('AUTO') } };
  if (choice === 'none') return { functionCallingConfig: { mode: mode('NONE') } };
  if (choice === 'required') return { functionCallingConfig: { mode: mode('ANY') } };
  return { functionCallingConfig: { mode: mode('ANY'), allowedFunctionNames: [choice.toolName] } };
}

/** Gemini knows two roles, `user` and `model`; consecutive messages of one role share one Content. */
export function toContents(messages: Message[]): { contents: Content[]; systemInstruction?: Content } {
  const systemParts: Part[] = [];
  const contents: Content[] = [];
  const push = (role: 'user' | 'model', parts: Part[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts?.push(...parts);
    else contents.push({ role, parts });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        systemParts.push(...textParts(message.content));
        break;
      case 'user':
        push(
          'user',
          typeof message.content === 'string'
            ? textParts(message.content)
            : message.content.flatMap((part) => (part.type === 'text' ? textParts(part.text) : [toImagePart(part)])),
        );
        break;
      case 'assistant':
        push(
          'model',
          typeof message.content === 'string'
            ? textParts(message.content)
            : message.content.flatMap((part): Part[] =>
                part.type === 'text'
                  ? textParts(part.text)
                  : [{ functionCall: { ...vendorId(part.toolCallId), name: part.toolName, args: toArgs(part.input) } }],
              ),
        );
        break;
      case 'tool':
        push(
          'user',
          message.content.map((part) => ({
            functionResponse: {
              ...vendorId(part.toolCallId),
              name: part.toolName,
              response: part.isError ? { error: part.output } : isRecord(part.output) ? part.output : { output: part.output },
            },
          })),
        );
        break;
    }
  }
  return { contents, systemInstruction: systemParts.length > 0 ? { parts: systemParts } : undefined };
}

function textParts(content: string | Array<{ type: 'text'; text: string }>): Part[] {
  const texts = typeof content === 'string' ? [content] : content.map((part) => part.text);
  return texts.filter((text) => text.length > 0).map((text) => ({ text }));
}

/** Gemini's ids are echoed back; ids reg made up mean nothing to the API (results match by name). */
function vendorId(toolCallId: string): { id?: string } {
  return toolCallId.startsWith(GENERATED_CALL_ID_PREFIX) ? {} : { id: toolCallId };
}

/** The API carries arguments as a Struct (a JSON object). */
function toArgs(input: unknown): Record<string, unknown> {
  if (isRecord(input)) return input;
  if (typeof input === 'string') {
    try {
      const parsed: unknown = JSON.parse(input);
      if (isRecord(parsed)) return parsed;
    } catch {
      // Not JSON: carried as a value below.
    }
  }
  return input === undefined || input === null ? {} : { value: input };
}

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};

function toImagePart(part: ImagePart): Part {
  const { image, mediaType } = part;
  if (image instanceof Uint8Array) {
    return { inlineData: { mimeType: mediaType ?? 'image/png', data: Buffer.from(image).toString('base64') } };
  }
  const dataUrl = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(image);
  if (dataUrl) return { inlineData: { mimeType: dataUrl[1] ?? mediaType ?? 'image/png', data: dataUrl[2] ?? '' } };
  if (/^(https?|gs):\/\//i.test(image)) {
    const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(image)?.[1]?.toLowerCase();
    return { fileData: { fileUri: image, mimeType: mediaType ?? (extension && IMAGE_TYPES[extension]) ?? 'image/jpeg' } };
  }
  return { inlineData: { mimeType: mediaType ?? 'image/png', data: image } };
}
