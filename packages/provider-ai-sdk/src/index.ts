export { aiSdk } from './ai-sdk-provider.js';
export { PROVIDER_NAME, type AiSdkOptions, type AnyAiSdkProvider, type AnyLanguageModel } from './ai-sdk-options.js';
export { mapAiSdkError, type ErrorContext } from './map-ai-sdk-error.js';
