import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { ConfigError, type CallOptions, type ChatModel, type ChatRequest, type ModelResult, type ModelStreamPart } from '@reg/core';
import { isRecord } from '@reg/provider-utils';
import { isLanguageModel, type AiSdkOptions, type AnyAiSdkProvider, type AnyLanguageModel } from './ai-sdk-options.js';
import { buildAiSdkCallOptions } from './build-ai-sdk-call-options.js';
import { mapAiSdkError, type AiSdkErrorContext } from './map-ai-sdk-error.js';
import { mapAiSdkResponse } from './map-ai-sdk-response.js';
import { mapAiSdkStream } from './map-ai-sdk-stream.js';

/** Where the language model comes from: a model object, a provider instance, or a package loaded on first use. */
export type ModelSource =
  | { kind: 'model'; model: AnyLanguageModel }
  | { kind: 'provider'; provider: AnyAiSdkProvider }
  | { kind: 'package'; packageName: string; load: () => Promise<AnyAiSdkProvider> };

const SUPPORTED_VERSIONS = new Set(['v2', 'v3', 'v4']);

/** A language model ready to call, with the key its provider reads providerOptions from. */
interface LoadedModel {
  languageModel: AnyLanguageModel;
  providerOptionsKey: string;
}

/**
 * A reg ChatModel over an AI SDK language model, which it makes once (a package is loaded on the
 * first call) and shares between calls. Each doGenerate/doStream calls the language model's own
 * doGenerate/doStream once: the AI SDK retries only inside `ai`'s generateText, so this is exactly
 * one upstream request, and reg's retry loop is the only one.
 */
export class AiSdkChatModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  readonly #options: AiSdkOptions;
  readonly #source: ModelSource;
  readonly #path: string;
  #loaded: LoadedModel | undefined;
  #loading: Promise<LoadedModel> | undefined;

  constructor(init: { provider: string; options: AiSdkOptions; source: ModelSource; path: string }) {
    this.provider = init.provider;
    this.#options = init.options;
    this.#source = init.source;
    this.#path = init.path;
    this.model = typeof init.options.model === 'string' ? init.options.model : init.options.model.modelId;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    const loaded = this.#loaded ?? (await this.#load(call));
    const context = this.#errorContext(call, loaded);
    try {
      const result = await (loaded.languageModel as LanguageModelV4).doGenerate(this.#callOptions(request, call, loaded));
      return mapAiSdkResponse(result);
    } catch (error) {
      throw mapAiSdkError(error, context);
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart, void, undefined> {
    const loaded = this.#loaded ?? (await this.#load(call));
    const context = this.#errorContext(call, loaded);
    let stream: ReadableStream<unknown>;
    try {
      ({ stream } = await (loaded.languageModel as LanguageModelV4).doStream(this.#callOptions(request, call, loaded)));
    } catch (error) {
      throw mapAiSdkError(error, context);
    }
    yield* mapAiSdkStream(stream, context);
  }

  #callOptions(request: ChatRequest, call: CallOptions, loaded: LoadedModel): LanguageModelV4CallOptions {
    return buildAiSdkCallOptions({
      request,
      options: this.#options,
      signal: call.signal,
      provider: this.provider,
      specificationVersion: loaded.languageModel.specificationVersion,
      providerOptionsKey: loaded.providerOptionsKey,
    });
  }

  #errorContext(call: CallOptions, loaded: LoadedModel): AiSdkErrorContext {
    return { client: call.client, provider: this.provider, model: this.model, vendor: loaded.languageModel.provider };
  }

  /** Made once and shared by every call (concurrent first calls wait for the same load); a failed load is tried again on the next call. */
  async #load(call: CallOptions): Promise<LoadedModel> {
    const loading = (this.#loading ??= this.#create());
    try {
      return (this.#loaded = await loading);
    } catch (error) {
      if (this.#loading === loading) this.#loading = undefined;
      // A provider instance may refuse the model id (NoSuchModelError) or its settings.
      const vendor = this.#source.kind === 'package' ? this.#source.packageName : 'AI SDK provider';
      throw mapAiSdkError(error, { client: call.client, provider: this.provider, model: this.model, vendor });
    }
  }

  async #create(): Promise<LoadedModel> {
    const source = this.#source;
    const made = source.kind === 'model' ? source.model : this.#fromProvider(source.kind === 'provider' ? source.provider : await source.load());
    const languageModel = this.#check(made);
    return { languageModel, providerOptionsKey: providerOptionsKey(languageModel.provider) };
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
