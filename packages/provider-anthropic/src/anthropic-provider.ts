import { defineProvider } from '@reg/core';
import { loadApiKey } from '@reg/provider-utils';
import { AnthropicChatModel } from './anthropic-chat-model.js';
import { ANTHROPIC_FILE_TYPES, API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, parseAnthropicOptions, type AnthropicOptions } from './anthropic-options.js';
import { createAnthropicClient } from './anthropic-transport.js';

export const PROVIDER_NAME = 'anthropic';

/** The `anthropic` provider: Claude through the Messages API, on the official `@anthropic-ai/sdk`. */
export const anthropic = defineProvider<AnthropicOptions>({
  name: PROVIDER_NAME,
  // The key and base URL come from the options or the registry's environment; the SDK's own reads
  // of process.env are overridden (see createAnthropicClient).
  credentials: 'explicit',
  guardsConnections: true,
  endpointOptions: ['base_url'],
  capabilities: { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: ANTHROPIC_FILE_TYPES },
  parseOptions: parseAnthropicOptions,
  createModel(options, context) {
    const apiKey = loadApiKey({ apiKey: options.apiKey, environmentVariable: API_KEY_ENV, context, provider: PROVIDER_NAME, model: options.model });
    const baseURL = options.baseUrl ?? (context.env[BASE_URL_ENV] || DEFAULT_BASE_URL);
    const client = createAnthropicClient({ options, apiKey, baseURL, http: context.http, guard: context.connectionGuard, env: context.env });
    return new AnthropicChatModel(options, client);
  },
});
