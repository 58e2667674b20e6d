import { ConfigError, type CallOptions, type ChatModel, type ChatRequest, type ModelResult, type ModelStreamPart } from '@reg/core';
import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { isLanguageModel, isRecord, PROVIDER_NAME, type AiSdkOptions, type AnyAiSdkProvider, type AnyLanguageModel } from './ai-sdk-options.js';
import { mapGenerateResult } from './ai-sdk-response.js';
import { convertToAiSdkCallOptions } from './convert-to-ai-sdk-call-options.js';
import { mapAiSdkError, type ErrorContext } from './map-ai-sdk-error.js';
import { mapAiSdkStream } from './map-ai-sdk-stream.js';
import { connectTimeoutFetch } from './ai-sdk-transport.js';

/** Where the language model comes from: a model object, a provider instance, or a package loaded on first use. */
export type ModelSource =
  | { kind: 'model'; model: AnyLanguageModel }
  | { kind: 'provider'; provider: AnyAiSdkProvider }
  /** `extraSettings` join the factory's settings (a connect-timeout `fetch`). */
  | { kind: 'package'; load: (extraSettings?: Record<string, unknown>) => Promise<AnyAiSdkProvider> };

const SUPPORTED_VERSIONS = new Set(['v2', 'v3', 'v4']);

/**
 * A reg ChatModel over an AI SDK language model. Each doGenerate/doStream calls the language
 * model's own doGenerate/doStream once: the AI SDK retries only inside `ai`'s generateText, so
 * this is exactly one upstream request, and reg's retry loop is the only one.
 */
export class AiSdkChatModel implements ChatModel {
  readonly provider = PROVIDER_NAME;
  readonly model: string;
  readonly #options: AiSdkOptions;
  readonly #source: ModelSource;
  readonly #path: string;
  #languageModel: AnyLanguageModel | Promise<AnyLanguageModel> | undefined;
  /** A package's provider built again with a connect-timeout fetch, one per distinct timeout. */
  readonly #byConnectTimeout = new Map<number, Promise<AnyLanguageModel>>();

  constructor(init: { options: AiSdkOptions; source: ModelSource; path: string }) {
    this.#options = init.options;
    this.#source = init.source;
    this.#path = init.path;
    this.model = typeof init.options.model === 'string' ? init.options.model : init.options.model.modelId;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    const languageModel = await this.#languageModelFor(call);
    const context = this.#errorContext(call, languageModel);
    try {
      const result = await (languageModel as LanguageModelV4).doGenerate(this.#callOptions(request, call, languageModel));
      return mapGenerateResult(result);
    } catch (error) {
      throw mapAiSdkError(error, context);
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart, void, undefined> {
    const languageModel = await this.#languageModelFor(call);
    const context = this.#errorContext(call, languageModel);
    let stream: ReadableStream<unknown>;
    try {
      ({ stream } = await (languageModel as LanguageModelV4).doStream(this.#callOptions(request, call, languageModel)));
    } catch (error) {
      throw mapAiSdkError(error, context);
    }
    yield* mapAiSdkStream(stream, context);
  }

  #callOptions(request: ChatRequest, call: CallOptions, languageModel: AnyLanguageModel): LanguageModelV4CallOptions {
    return convertToAiSdkCallOptions({
      request,
      options: this.#options,
      signal: call.signal,
      specificationVersion: languageModel.specificationVersion,
      providerOptionsKey: providerOptionsKey(languageModel.provider),
    });
  }

  #errorContext(call: CallOptions, languageModel: AnyLanguageModel): ErrorContext {
    return { client: call.client, model: this.model, vendor: languageModel.provider };
  }

  async #languageModelFor(call: CallOptions): Promise<AnyLanguageModel> {
    try {
      const connectTimeoutMs = call.http.connectTimeoutMs;
      // Only a package's provider can be rebuilt with another fetch; one given in code keeps its own.
      if (connectTimeoutMs !== undefined && this.#source.kind === 'package' && this.#options.settings.fetch === undefined) {
        return await this.#loadWithConnectTimeout(this.#source, connectTimeoutMs);
      }
      return await this.#load();
    } catch (error) {
      // A provider instance may refuse the model id (NoSuchModelError) or its settings.
      throw mapAiSdkError(error, { client: call.client, model: this.model, vendor: this.#options.package ?? 'AI SDK provider' });
    }
  }

  /** Built once and shared by every call; a failed load is tried again on the next call. */
  #load(): AnyLanguageModel | Promise<AnyLanguageModel> {
    if (this.#languageModel) return this.#languageModel;
    const source = this.#source;
    if (source.kind !== 'package') return (this.#languageModel = this.#check(source.kind === 'model' ? source.model : this.#fromProvider(source.provider)));
    const loading = source.load().then((provider) => (this.#languageModel = this.#check(this.#fromProvider(provider))));
    loading.catch(() => {
      if (this.#languageModel === loading) this.#languageModel = undefined;
    });
    return (this.#languageModel = loading);
  }

  #loadWithConnectTimeout(source: Extract<ModelSource, { kind: 'package' }>, timeoutMs: number): Promise<AnyLanguageModel> {
    let loading = this.#byConnectTimeout.get(timeoutMs);
    if (!loading) {
      loading = source.load({ fetch: connectTimeoutFetch(timeoutMs) }).then((provider) => this.#check(this.#fromProvider(provider)));
      loading.catch(() => this.#byConnectTimeout.delete(timeoutMs));
      this.#byConnectTimeout.set(timeoutMs, loading);
    }
    return loading;
  }

  #fromProvider(provider: AnyAiSdkProvider): unknown {
    const modelId = this.model;
    const languageModel = (provider as { languageModel?: unknown }).languageModel;
    if (typeof languageModel === 'function') return (languageModel as (id: string) => unknown).call(provider, modelId);
    return (provider as (id: string) => unknown)(modelId);
  }

  #check(value: unknown): AnyLanguageModel {
    if (isLanguageModel(value) && SUPPORTED_VERSIONS.has(value.specificationVersion)) return value;
    const version = isRecord(value) && typeof value.specificationVersion === 'string' ? ` (specification ${value.specificationVersion})` : '';
    throw new ConfigError([
      {
        path: `${this.#path}.model`,
        message: `did not give an AI SDK language model${version} for '${this.model}'; reg drives language models of specification v2, v3 and v4`,
      },
    ]);
  }
}

/** AI SDK providers read providerOptions under the first segment of their id: `mistral.chat` -> `mistral`. */
function providerOptionsKey(provider: string): string {
  return provider.split('.')[0]!.trim();
}
