import type { OptionReader } from '@reg/provider-utils';
import { defineOpenAICompatibleProvider, type OpenAICompatibleOptions } from './openai-compatible-provider.js';

const PROVIDER_NAME = 'openrouter';

/** OpenRouter's app attribution. */
export interface OpenRouterAppOptions {
  /** Sent as `HTTP-Referer`. */
  appUrl?: string;
  /** Sent as `X-Title`. */
  appName?: string;
}

export type OpenRouterOptions = OpenAICompatibleOptions<OpenRouterAppOptions>;

/** OpenRouter's OpenAI-compatible Chat Completions API; `model` is a routed name such as `openai/gpt-4o-mini`. */
export const openrouter = defineOpenAICompatibleProvider<OpenRouterAppOptions>({
  name: PROVIDER_NAME,
  baseUrl: 'https://openrouter.ai/api/v1',
  apiKeyEnvironmentVariable: 'OPENROUTER_API_KEY',
  // OpenRouter always reports usage in the last chunk.
  streamUsage: false,
  readOptions: (reader: OptionReader) => ({ appUrl: reader.string('app_url'), appName: reader.string('app_name') }),
  headers: (own) => ({ 'HTTP-Referer': own.appUrl, 'X-Title': own.appName }),
});
