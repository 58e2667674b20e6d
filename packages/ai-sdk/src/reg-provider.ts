import { NoSuchModelError, type EmbeddingModelV4, type ImageModelV4, type ProviderV4 } from '@ai-sdk/provider';
import type { RegCallSettings } from './reg-call-settings.js';
import { RegLanguageModel, type RegRegistry } from './reg-language-model.js';

/**
 * Image URLs the model receives as URLs; any other URL the AI SDK downloads first and sends as
 * bytes. OpenAI and Anthropic fetch http(s) images themselves; Bedrock does not, so a registry
 * that may route to Bedrock should pass `supportedUrls: {}`.
 */
const DEFAULT_SUPPORTED_URLS: Record<string, RegExp[]> = { 'image/*': [/^https?:\/\//] };

export interface RegProviderSettings {
  /** The registry every model of this provider calls. */
  registry: RegRegistry;
  /** reg call settings for every call (a model's own settings and `providerOptions.reg` win). */
  settings?: RegCallSettings;
  /** URL patterns, by media type, that are sent as URLs instead of being downloaded by the AI SDK. */
  supportedUrls?: Record<string, RegExp[]>;
}

export interface RegProvider extends ProviderV4 {
  /** A reg client name, strategy, or `provider/model`, as an AI SDK language model. */
  (client: string, settings?: RegCallSettings): RegLanguageModel;
  languageModel(client: string, settings?: RegCallSettings): RegLanguageModel;
}

/**
 * reg as an AI SDK provider: `reg('Resilient')` is a language model that `generateText`,
 * `streamText` and tool calling use unchanged, with the registry's retries, fallbacks and
 * timeouts underneath.
 */
export function createReg(options: RegProviderSettings): RegProvider {
  const { registry } = options;
  const supportedUrls = options.supportedUrls ?? DEFAULT_SUPPORTED_URLS;
  const languageModel = (client: string, settings?: RegCallSettings): RegLanguageModel =>
    new RegLanguageModel(client, { registry, supportedUrls, settings: [options.settings, settings] });
  const noSuchModel = (modelType: 'embeddingModel' | 'imageModel') => (modelId: string): never => {
    throw new NoSuchModelError({ modelId, modelType, message: `reg serves language models only; '${modelId}' cannot be a ${modelType}.` });
  };
  return Object.assign(languageModel, {
    specificationVersion: 'v4' as const,
    languageModel,
    embeddingModel: noSuchModel('embeddingModel') as (modelId: string) => EmbeddingModelV4,
    imageModel: noSuchModel('imageModel') as (modelId: string) => ImageModelV4,
  });
}
