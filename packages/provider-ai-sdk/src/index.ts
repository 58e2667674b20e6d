export { aiSdk, PROVIDER_NAME } from './ai-sdk-provider.js';
export type { AiSdkOptions, AnyAiSdkProvider, AnyLanguageModel } from './ai-sdk-options.js';
export { mapAiSdkError, type AiSdkErrorContext } from './map-ai-sdk-error.js';
