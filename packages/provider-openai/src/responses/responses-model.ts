import type { CallOptions, ChatModel, ChatRequest, ConnectionGuard, ModelResult, ModelStreamPart } from '@reg/core';
import OpenAI from 'openai';
import { mapOpenAIError, type OpenAIErrorContext } from '../map-openai-error.js';
import { OpenAIRequestOptions } from '../openai-options.js';
import { buildResponsesBody } from './responses-request.js';
import { convertResponse } from './responses-response.js';
import { convertResponsesStream, type InBandFailure } from './responses-stream.js';

export interface ResponsesModelSettings {
  provider: string;
  model: string;
  /** Built once by the provider and reused by every call (keep-alive). */
  client: OpenAI;
  defaults: Record<string, unknown>;
  /** The registry's connection guard: every connection of this model goes through it. */
  guard?: ConnectionGuard | undefined;
}

/** One Responses API model: each call is exactly one `POST /responses`. */
export class OpenAIResponsesModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  readonly #client: OpenAI;
  readonly #defaults: Record<string, unknown>;
  readonly #requestOptions: OpenAIRequestOptions;

  constructor(settings: ResponsesModelSettings) {
    this.provider = settings.provider;
    this.model = settings.model;
    this.#client = settings.client;
    this.#defaults = settings.defaults;
    this.#requestOptions = new OpenAIRequestOptions(settings.guard);
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    const context = this.#context(call);
    try {
      const body = { ...this.#body(request), stream: false } as OpenAI.Responses.ResponseCreateParamsNonStreaming;
      const { data, request_id } = await this.#client.responses.create(body, this.#requestOptions.for(call)).withResponse();
      if (data.status === 'failed') {
        throw inBandError({ message: data.error?.message ?? 'The response failed.', code: data.error?.code ?? null });
      }
      return convertResponse(data, request_id);
    } catch (error) {
      throw mapOpenAIError(error, context);
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart, void, undefined> {
    const context = this.#context(call);
    try {
      const body = { ...this.#body(request), stream: true } as OpenAI.Responses.ResponseCreateParamsStreaming;
      const events = await this.#client.responses.create(body, this.#requestOptions.for(call));
      yield* convertResponsesStream(events, inBandError);
    } catch (error) {
      throw mapOpenAIError(error, context);
    }
  }

  #body(request: ChatRequest): Record<string, unknown> {
    return buildResponsesBody({ model: this.model, defaults: this.#defaults, request, providerName: this.provider });
  }

  #context(call: CallOptions): OpenAIErrorContext {
    return { client: call.client, provider: this.provider, model: this.model };
  }
}

/**
 * A failure the Responses API reported inside a 200 (`response.failed`, or a failed JSON answer),
 * shaped as the SDK's own status-less APIError so that map-openai-error classifies it like any
 * other in-band error.
 */
function inBandError(failure: InBandFailure): Error {
  const body = { message: failure.message, code: failure.code ?? null, type: failure.type ?? failure.code ?? undefined, param: failure.param ?? null };
  return new OpenAI.APIError(undefined, body, undefined, undefined);
}
