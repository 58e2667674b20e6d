import type { CallOptions, ChatModel, ChatRequest, ModelResult, ModelStreamPart } from '@reg/core';
import OpenAI from 'openai';
import { buildOpenAIResponsesRequest } from './build-openai-responses-request.js';
import { mapOpenAIError } from './map-openai-error.js';
import type { OpenAIFileRules } from './openai-file-input.js';
import { mapOpenAIResponsesResponse } from './map-openai-responses-response.js';
import { mapOpenAIResponsesStream, type InBandFailure } from './map-openai-responses-stream.js';

export interface OpenAIResponsesChatModelSettings {
  provider: string;
  model: string;
  /** Built once for the model, with every per-model request option (see createOpenAIClient). */
  client: OpenAI;
  defaults: Record<string, unknown>;
  files: OpenAIFileRules;
}

/** One Responses API model: each attempt is exactly one `POST /responses`. */
export class OpenAIResponsesChatModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  readonly #client: OpenAI;
  readonly #defaults: Record<string, unknown>;
  readonly #files: OpenAIFileRules;

  constructor(settings: OpenAIResponsesChatModelSettings) {
    this.provider = settings.provider;
    this.model = settings.model;
    this.#client = settings.client;
    this.#defaults = settings.defaults;
    this.#files = settings.files;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    try {
      const body = { ...this.#body(request, call.client), stream: false } as OpenAI.Responses.ResponseCreateParamsNonStreaming;
      const { data, request_id } = await this.#client.responses.create(body, { signal: call.signal }).withResponse();
      if (data.status === 'failed') {
        throw inBandError({ message: data.error?.message ?? 'The response failed.', code: data.error?.code ?? null });
      }
      return mapOpenAIResponsesResponse(data, request_id);
    } catch (error) {
      throw mapOpenAIError(error, { client: call.client, provider: this.provider, model: this.model });
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart, void, undefined> {
    try {
      const body = { ...this.#body(request, call.client), stream: true } as OpenAI.Responses.ResponseCreateParamsStreaming;
      const events = await this.#client.responses.create(body, { signal: call.signal });
      yield* mapOpenAIResponsesStream(events, inBandError);
    } catch (error) {
      throw mapOpenAIError(error, { client: call.client, provider: this.provider, model: this.model });
    }
  }

  #body(request: ChatRequest, client: string): Record<string, unknown> {
    return buildOpenAIResponsesRequest({ client, provider: this.provider, model: this.model, files: this.#files, defaults: this.#defaults, request });
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
