import { defineProvider, MissingCredentialsError } from '@reg/core';
import { AnthropicChatModel } from './anthropic-chat-model.js';
import { API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, parseAnthropicOptions, PROVIDER_NAME, type AnthropicOptions } from './anthropic-options.js';

/** The `anthropic` provider: Claude through the Messages API, on the official `@anthropic-ai/sdk`. */
export const anthropic = defineProvider<AnthropicOptions>({
  name: PROVIDER_NAME,
  parseOptions: parseAnthropicOptions,
  guardsConnections: true,
  createModel(options, context) {
    const apiKey = options.api_key ?? context.env[API_KEY_ENV];
    if (!apiKey) {
      throw new MissingCredentialsError({ client: context.client, provider: PROVIDER_NAME, option: 'api_key', envVariable: API_KEY_ENV, model: options.model });
    }
    const baseURL = options.base_url ?? (context.env[BASE_URL_ENV] || DEFAULT_BASE_URL);
    return new AnthropicChatModel({ options, apiKey, baseURL, guard: context.connectionGuard });
  },
});
