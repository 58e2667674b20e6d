import { defineProvider, type ModelProvider, type ProviderCapabilities } from '@reg/core';
import { OptionReader } from '@reg/provider-utils';
import { createOpenAIClient } from './openai-transport.js';
import { readChatSettings, type ChatSettings, type MaxTokensField } from './openai-chat-options.js';
import { OpenAIChatModel } from './openai-chat-model.js';
import { OPENAI_CHAT_FILE_TYPES, type OpenAIFileRules } from './openai-file-input.js';
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
  /**
   * What the API's models can do (default: streaming, tools, images, JSON schema, and in
   * `fileTypes` the files OpenAI's own Chat Completions takes: PDF, WAV, MP3). A server that
   * takes fewer files declares fewer; one that takes more (`text/plain` as a `file` part) more.
   */
  readonly capabilities?: Partial<ProviderCapabilities>;
  /**
   * How file parts go beyond their types: `urls`, whether a document may be sent by URL in
   * `file_data` (default false: OpenAI takes data only; OpenRouter fetches URLs); `maxBytes`, the
   * most bytes one file may have, checked before the request (default: not checked).
   */
  readonly files?: { readonly urls?: boolean; readonly maxBytes?: number };
}

/** A Chat Completions client's options, validated: the connection, and the request defaults. */
export interface OpenAICompatibleOptions<Own = undefined> extends OpenAIConnectionOptions<Own> {
  settings: ChatSettings;
}

const DEFAULT_CAPABILITIES: ProviderCapabilities = { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: OPENAI_CHAT_FILE_TYPES };

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
  const capabilities: ProviderCapabilities = { ...DEFAULT_CAPABILITIES, ...settings.capabilities };
  const files: OpenAIFileRules = { types: capabilities.fileTypes ?? [], urls: settings.files?.urls ?? false, maxBytes: settings.files?.maxBytes };
  return defineProvider<OpenAICompatibleOptions<Own>>({
    name: settings.name,
    credentials: 'explicit',
    guardsConnections: true,
    endpointOptions: ['base_url'],
    capabilities,
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
        files,
      });
    },
  });
}
