import { defineOpenAICompatibleProvider } from '@reg/provider-openai';

/** Together AI's OpenAI-compatible Chat Completions API (docs.together.ai/docs/inference/openai-compatibility). */
export const together = defineOpenAICompatibleProvider({
  name: 'together',
  baseUrl: 'https://api.together.ai/v1',
  apiKeyEnvironmentVariable: 'TOGETHER_API_KEY',
  // Together documents the classic token-limit field.
  maxTokensField: 'max_tokens',
});
