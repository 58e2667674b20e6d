export { openai, type OpenAIOptions } from './openai-provider.js';
export { openaiResponses, type OpenAIResponsesOptions } from './responses/openai-responses-provider.js';
export { openaiGeneric, type OpenAIGenericOptions } from './openai-generic-provider.js';
export { azureOpenAI, type AzureOpenAIOptions, type AzureTokenProvider } from './azure-openai-provider.js';
export { openrouter, type OpenRouterOptions } from './openrouter-provider.js';
export type { ChatSettings, MaxTokensField } from './openai-chat-settings.js';
export { mapOpenAIError, type OpenAIErrorContext } from './map-openai-error.js';
