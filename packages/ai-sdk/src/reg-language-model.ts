import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamResult,
} from '@ai-sdk/provider';
import type { ClientRegistry } from '@reg/core';
import { convertToRegRequest } from './convert-to-reg-request.js';
import { mapRegResult } from './map-reg-result.js';
import { mapRegStream } from './map-reg-stream.js';
import { PROVIDER_NAME, resolveCallSettings, type RegCallSettings } from './reg-call-settings.js';

/** What the model needs of a registry; structural, so a registry from another copy of @reg/core fits. */
export type RegRegistry = Pick<ClientRegistry, 'generate' | 'stream'>;

export interface RegLanguageModelConfig {
  registry: RegRegistry;
  /** The provider's settings, then the model's; the call's `providerOptions.reg` wins over both. */
  settings: Array<RegCallSettings | undefined>;
  supportedUrls: Record<string, RegExp[]>;
}

/**
 * One reg client reference (a client name, a strategy, or `provider/model`) as an AI SDK
 * language model. Retries, fallbacks and timeouts all happen inside the registry call.
 */
export class RegLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = PROVIDER_NAME;
  readonly modelId: string;
  readonly supportedUrls: Record<string, RegExp[]>;
  readonly #config: RegLanguageModelConfig;

  constructor(modelId: string, config: RegLanguageModelConfig) {
    this.modelId = modelId;
    this.supportedUrls = config.supportedUrls;
    this.#config = config;
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const { request, warnings, regOptions } = convertToRegRequest(options);
    const settings = resolveCallSettings({ client: this.modelId, signal: options.abortSignal, layers: [...this.#config.settings, regOptions] });
    const result = await this.#config.registry.generate(request, settings);
    return mapRegResult(result, request, warnings);
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const { request, warnings, regOptions } = convertToRegRequest(options);
    // Our own signal too, so that cancelling the stream stops the call in flight at once.
    const cancelled = new AbortController();
    const signal = options.abortSignal === undefined ? cancelled.signal : AbortSignal.any([options.abortSignal, cancelled.signal]);
    const settings = resolveCallSettings({ client: this.modelId, signal, layers: [...this.#config.settings, regOptions] });
    const stream = await mapRegStream({
      parts: this.#config.registry.stream(request, settings),
      warnings,
      cancel: (reason) => cancelled.abort(reason),
    });
    return { stream, request: { body: request } };
  }
}
