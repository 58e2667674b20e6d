import { defineProvider } from '@reg/core';
import { OpenAIChatModel } from './openai-chat-model.js';
import { readChatSettings, type ChatSettings } from './openai-chat-settings.js';
import { createOpenAIClient, OptionReader, resolveApiKey } from './openai-options.js';

const PROVIDER_NAME = 'openrouter';
const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';
const OPENROUTER_API_KEY_ENV = 'OPENROUTER_API_KEY';

export interface OpenRouterOptions {
  /** A routed model name such as `openai/gpt-4o-mini`. */
  model: string;
  apiKey?: string;
  baseUrl?: string;
  /** Sent as `HTTP-Referer` (OpenRouter's app attribution). */
  appUrl?: string;
  /** Sent as `X-Title`. */
  appName?: string;
  headers?: Record<string, string>;
  settings: ChatSettings;
}

/** OpenRouter's OpenAI-compatible Chat Completions API. */
export const openrouter = defineProvider<OpenRouterOptions>({
  guardsConnections: true,
  name: PROVIDER_NAME,
  parseOptions(raw, context) {
    const reader = new OptionReader(raw, context.path);
    const options: OpenRouterOptions = {
      model: reader.string('model', { required: true }) ?? '',
      apiKey: reader.string('api_key'),
      baseUrl: reader.string('base_url', { url: true }),
      appUrl: reader.string('app_url'),
      appName: reader.string('app_name'),
      headers: reader.stringMap('headers', 'header names'),
      settings: { passthrough: {} },
    };
    options.settings = readChatSettings(reader);
    reader.done();
    return options;
  },
  createModel(options, context) {
    const apiKey = resolveApiKey({ apiKey: options.apiKey, envVariable: OPENROUTER_API_KEY_ENV, provider: PROVIDER_NAME, model: options.model, context });
    const headers: Record<string, string> = {};
    if (options.appUrl) headers['HTTP-Referer'] = options.appUrl;
    if (options.appName) headers['X-Title'] = options.appName;
    const client = createOpenAIClient({
      baseUrl: options.baseUrl ?? OPENROUTER_BASE_URL,
      auth: { type: 'bearer', apiKey },
      headers: { ...headers, ...options.headers },
    });
    return new OpenAIChatModel({
      guard: context.connectionGuard,
      client,
      provider: PROVIDER_NAME,
      model: options.model,
      settings: options.settings,
      maxTokensField: 'max_tokens',
      // OpenRouter always reports usage in the last chunk.
      streamUsage: false,
    });
  },
});
