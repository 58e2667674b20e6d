import { defineProvider } from '@reg/core';
import { OpenAIChatModel } from './openai-chat-model.js';
import { readChatSettings, type ChatSettings } from './openai-chat-settings.js';
import { createOpenAIClient, OptionReader } from './openai-options.js';

const PROVIDER_NAME = 'openai-generic';

export interface OpenAIGenericOptions {
  model: string;
  baseUrl: string;
  /** Optional: local servers such as Ollama take none, and then no Authorization header is sent. */
  apiKey?: string;
  headers?: Record<string, string>;
  queryParams?: Record<string, string>;
  settings: ChatSettings;
}

/** Any OpenAI-compatible Chat Completions server: Ollama, vLLM, Together, Groq, Vercel AI Gateway, LiteLLM. */
export const openaiGeneric = defineProvider<OpenAIGenericOptions>({
  guardsConnections: true,
  name: PROVIDER_NAME,
  parseOptions(raw, context) {
    const reader = new OptionReader(raw, context.path);
    const options: OpenAIGenericOptions = {
      model: reader.string('model', { required: true }) ?? '',
      baseUrl: reader.string('base_url', { required: true, url: true }) ?? '',
      apiKey: reader.string('api_key'),
      headers: reader.stringMap('headers', 'header names'),
      queryParams: reader.stringMap('query_params', 'query parameter names'),
      settings: { passthrough: {} },
    };
    options.settings = readChatSettings(reader);
    reader.done();
    return options;
  },
  createModel(options, context) {
    const client = createOpenAIClient({
      baseUrl: options.baseUrl,
      auth: options.apiKey ? { type: 'bearer', apiKey: options.apiKey } : { type: 'none' },
      headers: options.headers,
      query: options.queryParams,
    });
    return new OpenAIChatModel({
      guard: context.connectionGuard,
      client,
      provider: PROVIDER_NAME,
      model: options.model,
      settings: options.settings,
      // The field every compatible server knows.
      maxTokensField: 'max_tokens',
      streamUsage: true,
    });
  },
});
