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

const OPENROUTER_FILE_TYPES = [
  'application/pdf',
  'audio/wav',
  'audio/x-wav',
  'audio/mpeg',
  'audio/mp3',
  'audio/flac',
  'audio/ogg',
  'audio/aac',
  'audio/mp4',
  'audio/x-m4a',
  'audio/aiff',
];

/** OpenRouter's OpenAI-compatible Chat Completions API; `model` is a routed name such as `openai/gpt-4o-mini`. */
export const openrouter = defineOpenAICompatibleProvider<OpenRouterAppOptions>({
  name: PROVIDER_NAME,
  baseUrl: 'https://openrouter.ai/api/v1',
  apiKeyEnvironmentVariable: 'OPENROUTER_API_KEY',
  // OpenRouter always reports usage in the last chunk.
  streamUsage: false,
  readOptions: (reader: OptionReader) => ({ appUrl: reader.string('app_url'), appName: reader.string('app_name') }),
  headers: (own) => ({ 'HTTP-Referer': own.appUrl, 'X-Title': own.appName }),
  // PDFs go to any model (by data or URL: OpenRouter parses them for models that read no files);
  // audio is base64 only, in the formats its models take (see the README).
  capabilities: { fileTypes: OPENROUTER_FILE_TYPES },
  files: { urls: true },
});
