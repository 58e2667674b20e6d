import { InvalidArgumentError, type LanguageModelV4CallOptions, type SharedV4Warning } from '@ai-sdk/provider';
import type { ChatRequest, ProviderOptions, ToolChoice, ToolDefinition } from '@reg/core';
import { convertToRegMessages } from './convert-to-reg-messages.js';
import { PROVIDER_NAME } from './reg-call-settings.js';

/** AI SDK settings reg requests have no field for; each vendor has its own body name for them. */
const VENDOR_ONLY_SETTINGS = {
  topK: 'e.g. providerOptions: { anthropic: { top_k: 40 } }',
  presencePenalty: 'e.g. providerOptions: { openai: { presence_penalty: 0.5 } }',
  frequencyPenalty: 'e.g. providerOptions: { openai: { frequency_penalty: 0.5 } }',
  seed: 'e.g. providerOptions: { openai: { seed: 42 } }',
} as const;

export interface ConvertedCall {
  request: ChatRequest;
  warnings: SharedV4Warning[];
  /** `providerOptions.reg`: settings for reg itself, not for any vendor. */
  regOptions: Record<string, unknown> | undefined;
}

/** One AI SDK call as a reg request, with a warning for every setting that was not carried. */
export function convertToRegRequest(options: LanguageModelV4CallOptions): ConvertedCall {
  const warnings: SharedV4Warning[] = [];
  const request: ChatRequest = { messages: convertToRegMessages(options.prompt, warnings) };

  if (options.maxOutputTokens !== undefined) request.maxTokens = options.maxOutputTokens;
  if (options.temperature !== undefined) request.temperature = options.temperature;
  if (options.topP !== undefined) request.topP = options.topP;
  if (options.stopSequences !== undefined && options.stopSequences.length > 0) request.stopSequences = options.stopSequences;
  for (const [setting, example] of Object.entries(VENDOR_ONLY_SETTINGS)) {
    if (options[setting as keyof typeof VENDOR_ONLY_SETTINGS] !== undefined) {
      warnings.push({ type: 'unsupported', feature: setting, details: `reg requests have no ${setting}; pass it in the vendor's own body name through providerOptions, ${example}.` });
    }
  }
  if (options.reasoning !== undefined && options.reasoning !== 'provider-default') {
    warnings.push({ type: 'unsupported', feature: 'reasoning', details: "reg requests have no reasoning effort; set it per vendor through providerOptions (e.g. { openai: { reasoning_effort: 'low' } }) or in the client's options." });
  }
  // The AI SDK adds its own user-agent to every call; only headers the caller set deserve a word.
  const headers = Object.keys(options.headers ?? {}).filter((name) => name.toLowerCase() !== 'user-agent' && options.headers?.[name] !== undefined);
  if (headers.length > 0) {
    warnings.push({ type: 'unsupported', feature: 'headers', details: `reg sends each client's configured headers (options.headers); ${headers.join(', ')} were not sent.` });
  }

  const tools = convertTools(options, warnings);
  if (tools.length > 0) {
    request.tools = tools;
    if (options.toolChoice !== undefined) request.toolChoice = convertToolChoice(options.toolChoice);
  }

  if (options.responseFormat?.type === 'json') {
    const { schema, name } = options.responseFormat;
    request.responseFormat = { type: 'json' };
    if (schema !== undefined) request.responseFormat.schema = schema as Record<string, unknown>;
    if (name !== undefined) request.responseFormat.name = name;
  }

  const { [PROVIDER_NAME]: regOptions, ...vendorOptions } = options.providerOptions ?? {};
  if (regOptions !== undefined && (typeof regOptions !== 'object' || regOptions === null || Array.isArray(regOptions))) {
    throw new InvalidArgumentError({ argument: `providerOptions.${PROVIDER_NAME}`, message: `providerOptions.${PROVIDER_NAME} must be an object such as { timeoutMs: 30000 }` });
  }
  if (Object.keys(vendorOptions).length > 0) request.providerOptions = vendorOptions as ProviderOptions;

  return { request, warnings, regOptions };
}

function convertTools(options: LanguageModelV4CallOptions, warnings: SharedV4Warning[]): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const tool of options.tools ?? []) {
    if (tool.type === 'function') {
      const definition: ToolDefinition = { name: tool.name, inputSchema: tool.inputSchema as Record<string, unknown> };
      if (tool.description !== undefined) definition.description = tool.description;
      tools.push(definition);
    } else {
      warnings.push({ type: 'unsupported', feature: `provider-defined tool '${tool.id}'`, details: 'reg sends function tools only; provider-defined tools need the vendor that defines them, and a strategy may route elsewhere.' });
    }
  }
  return tools;
}

function convertToolChoice(choice: NonNullable<LanguageModelV4CallOptions['toolChoice']>): ToolChoice {
  return choice.type === 'tool' ? { type: 'tool', toolName: choice.toolName } : choice.type;
}
