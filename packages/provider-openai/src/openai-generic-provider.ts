import { defineOpenAICompatibleProvider, type OpenAICompatibleOptions } from './openai-compatible-provider.js';

const PROVIDER_NAME = 'openai-generic';

export type OpenAIGenericOptions = OpenAICompatibleOptions;

/**
 * Any OpenAI-compatible Chat Completions server: Ollama, vLLM, Together, Groq, Vercel AI Gateway,
 * LiteLLM. `base_url` is required; the key is optional (local servers take none, and then no
 * Authorization header is sent).
 */
export const openaiGeneric = defineOpenAICompatibleProvider({
  name: PROVIDER_NAME,
});
