import { defineOpenAICompatibleProvider, type OpenAICompatibleOptions } from './openai-compatible-provider.js';
import { OPENAI_CHAT_FILE_TYPES, OPENAI_MAX_FILE_BYTES } from './openai-file-input.js';
import { OPENAI_CONNECTION, type OpenAIAccountOptions } from './openai-options.js';

const PROVIDER_NAME = 'openai';

export type OpenAIOptions = OpenAICompatibleOptions<OpenAIAccountOptions>;

/** OpenAI's Chat Completions API (`POST /v1/chat/completions`). */
export const openai = defineOpenAICompatibleProvider<OpenAIAccountOptions>({
  name: PROVIDER_NAME,
  ...OPENAI_CONNECTION,
  // OpenAI deprecated max_tokens, and reasoning models refuse it.
  maxTokensField: 'max_completion_tokens',
  // PDFs as `file` parts (data only: Chat Completions takes no file URLs), WAV and MP3 as `input_audio`.
  capabilities: { fileTypes: OPENAI_CHAT_FILE_TYPES },
  files: { urls: false, maxBytes: OPENAI_MAX_FILE_BYTES },
});
