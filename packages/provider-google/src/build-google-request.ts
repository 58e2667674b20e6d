import type { Content, FunctionCallingConfigMode, GenerateContentConfig, ToolConfig } from '@google/genai';
import type { ChatRequest, ToolChoice } from '@reg/core';
import { isRecord } from '@reg/provider-utils';
import { convertToGoogleMessages } from './convert-to-google-messages.js';
import type { GoogleFileRules } from './google-file-rules.js';
import { camelCase, type GoogleCommonOptions } from './google-options.js';

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

/** The part of every request a client's options fix, worked out once per model. */
export interface GoogleRequestDefaults {
  config: Readonly<GenerateContentConfig>;
  extraBody: Readonly<Record<string, unknown>>;
  /** What the API takes in file parts. */
  files: GoogleFileRules;
}

/**
 * The client's options as request defaults: `generationConfig`, `safetySettings`, the options that
 * pass through, then the sampling defaults. The SDK renders sampling settings into generationConfig.
 */
export function buildGoogleDefaults(options: GoogleCommonOptions, files: GoogleFileRules): GoogleRequestDefaults {
  const config: GenerateContentConfig = {
    // Continuation would make more than one upstream request per attempt; reg owns retries.
    automaticContinuation: false,
  };
  const extraBody: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.generationConfig ?? {})) {
    if (SDK_CONFIG_KEYS.has(key)) (config as Record<string, unknown>)[key] = value;
    else ((extraBody.generationConfig ??= {}) as Record<string, unknown>)[key] = value;
  }
  if (options.safetySettings) config.safetySettings = options.safetySettings as GenerateContentConfig['safetySettings'];
  passThrough(options.passThrough, config, extraBody);
  const { temperature, maxTokens, topP, topK, stopSequences } = options.generation;
  if (temperature !== undefined) config.temperature = temperature;
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  if (topP !== undefined) config.topP = topP;
  if (topK !== undefined) config.topK = topK;
  if (stopSequences !== undefined) config.stopSequences = stopSequences;
  return { config, extraBody, files };
}

/** The client's defaults, then the request, then the request's providerOptions: later wins. */
export function buildGoogleRequest(request: ChatRequest, defaults: GoogleRequestDefaults, providerName: string): GoogleRequest {
  const config: GenerateContentConfig = { ...defaults.config };
  const extraBody: Record<string, unknown> = { ...defaults.extraBody };
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.stopSequences !== undefined) config.stopSequences = request.stopSequences;

  const { contents, systemInstruction } = convertToGoogleMessages(request.messages, defaults.files);
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
