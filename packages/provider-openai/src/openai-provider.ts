import { defineProvider } from '@reg/core';
import { OpenAIChatModel } from './openai-chat-model.js';
import { readChatSettings, type ChatSettings } from './openai-chat-settings.js';
import {
  createOpenAIClient,
  OPENAI_API_KEY_ENV,
  OPENAI_BASE_URL,
  OptionReader,
  readOpenAIConnection,
  resolveApiKey,
  type OpenAIConnectionOptions,
} from './openai-options.js';

const PROVIDER_NAME = 'openai';

export interface OpenAIOptions extends OpenAIConnectionOptions {
  queryParams?: Record<string, string>;
  settings: ChatSettings;
}

/** OpenAI's Chat Completions API (`POST /v1/chat/completions`). */
export const openai = defineProvider<OpenAIOptions>({
  guardsConnections: true,
  name: PROVIDER_NAME,
  parseOptions(raw, context) {
    const reader = new OptionReader(raw, context.path);
    const connection = readOpenAIConnection(reader);
    const queryParams = reader.stringMap('query_params', 'query parameter names');
    const settings = readChatSettings(reader);
    reader.done();
    return { ...connection, queryParams, settings };
  },
  createModel(options, context) {
    const apiKey = resolveApiKey({ apiKey: options.apiKey, envVariable: OPENAI_API_KEY_ENV, provider: PROVIDER_NAME, model: options.model, context });
    const client = createOpenAIClient({
      // As the official SDK does, OPENAI_BASE_URL (from the registry's environment) moves the default.
      baseUrl: options.baseUrl ?? context.env.OPENAI_BASE_URL ?? OPENAI_BASE_URL,
      auth: { type: 'bearer', apiKey },
      // The SDK would read these from process.env; the registry's environment is the one to use.
      organization: options.organization ?? context.env.OPENAI_ORG_ID,
      project: options.project ?? context.env.OPENAI_PROJECT_ID,
      headers: options.headers,
      query: options.queryParams,
    });
    return new OpenAIChatModel({
      guard: context.connectionGuard,
      client,
      provider: PROVIDER_NAME,
      model: options.model,
      settings: options.settings,
      // OpenAI deprecated max_tokens, and reasoning models refuse it.
      maxTokensField: 'max_completion_tokens',
      streamUsage: true,
    });
  },
});
