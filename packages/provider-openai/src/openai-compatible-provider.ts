import { defineProvider, type ModelProvider, type ProviderCapabilities } from '@reg/core';
import { OptionReader } from '@reg/provider-utils';
import { createOpenAIClient } from './openai-transport.js';
import { readChatSettings, type ChatSettings, type MaxTokensField } from './openai-chat-options.js';
import { OpenAIChatModel } from './openai-chat-model.js';
import { readOpenAIConnectionOptions, type OpenAIConnectionOptions, type OpenAIConnectionSettings } from './openai-options.js';

/**
 * A provider for an API that speaks OpenAI's Chat Completions: its connection (name, default URL,
 * key variable, and hooks where it differs) and its quirks, as data.
 */
export interface OpenAICompatibleProviderSettings<Own = undefined> extends OpenAIConnectionSettings<Own> {
  /** The body field a request's `maxTokens` goes into when the options name none (default `max_tokens`, which every compatible server knows). */
  readonly maxTokensField?: MaxTokensField;
  /** Whether streams ask for usage with `stream_options.include_usage` (default true; false where usage always comes, or the field is refused). */
  readonly streamUsage?: boolean;
  /** What the API's models can do (default: all of streaming, tools, images, JSON schema). */
  readonly capabilities?: Partial<ProviderCapabilities>;
}

/** A Chat Completions client's options, validated: the connection, and the request defaults. */
export interface OpenAICompatibleOptions<Own = undefined> extends OpenAIConnectionOptions<Own> {
  settings: ChatSettings;
}

const ALL_CAPABILITIES: ProviderCapabilities = { streaming: true, tools: true, images: true, jsonSchema: true };

/**
 * Defines a provider for an OpenAI-compatible Chat Completions API on the official openai SDK:
 *
 * ```ts
 * export const together = defineOpenAICompatibleProvider({
 *   name: 'together',
 *   baseUrl: 'https://api.together.ai/v1',
 *   apiKeyEnvironmentVariable: 'TOGETHER_API_KEY',
 * });
 * ```
 *
 * Its clients take `model`, `api_key`, `base_url`, `headers`, `query_params` and the request
 * options (`temperature`, `max_tokens`, ...; unknown ones go into the body). Credentials come only
 * from the options and the registry's environment, and every connection goes through the
 * registry's connection guard.
 */
export function defineOpenAICompatibleProvider<Own = undefined>(settings: OpenAICompatibleProviderSettings<Own>): ModelProvider<OpenAICompatibleOptions<Own>> {
  const maxTokensField = settings.maxTokensField ?? 'max_tokens';
  const streamUsage = settings.streamUsage ?? true;
  return defineProvider<OpenAICompatibleOptions<Own>>({
    name: settings.name,
    credentials: 'explicit',
    guardsConnections: true,
    endpointOptions: ['base_url'],
    capabilities: { ...ALL_CAPABILITIES, ...settings.capabilities },
    // An endpoint of its own (an Azure deployment) may name the model.
    requiresModel: settings.readEndpoint === undefined,
    parseOptions(raw, context) {
      const reader = new OptionReader(raw, context);
      const connection = readOpenAIConnectionOptions(reader, context, settings);
      const chatSettings = readChatSettings(reader);
      reader.done();
      return { ...connection, settings: chatSettings };
    },
    createModel(options, context) {
      return new OpenAIChatModel({
        client: createOpenAIClient(settings, options, context),
        provider: settings.name,
        model: options.model,
        settings: options.settings,
        maxTokensField,
        streamUsage,
      });
    },
  });
}
