import type { CallOptions, ChatModel, ChatRequest, ModelResult, ModelStreamPart } from '@reg/core';
import type { ErrorContext } from '@reg/provider-utils';
import type { Fetch } from '@reg/provider-utils/http';
import { buildEchoRequest } from './build-echo-request.js';
import type { EchoReply, EchoReplyRequest } from './echo-api.js';
import type { EchoOptions } from './echo-options.js';
import { echoHttpError, mapEchoError, truncatedStreamError } from './map-echo-error.js';
import { mapEchoResponse } from './map-echo-response.js';
import { mapEchoStream } from './map-echo-stream.js';

export interface EchoChatModelConfig {
  provider: string;
  options: EchoOptions;
  /** The request headers, the key's included; built once per model. */
  headers: Record<string, string>;
  /** The client's transport: its connect timeout and the registry's connection guard. */
  fetch: Fetch;
}

/** The `ChatModel` of a client: one Echo API request per attempt. */
export class EchoChatModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  readonly #config: EchoChatModelConfig;
  readonly #url: string;

  constructor(config: EchoChatModelConfig) {
    this.provider = config.provider;
    this.model = config.options.model;
    this.#config = config;
    this.#url = `${config.options.baseUrl}/replies`;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    const context = this.#context(call);
    try {
      const response = await this.#post(this.#body(request, false, context), call.signal);
      if (!response.ok) throw await echoHttpError(response, context);
      return mapEchoResponse((await response.json()) as EchoReply);
    } catch (error) {
      throw mapEchoError(error, context);
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart> {
    const context = this.#context(call);
    try {
      const response = await this.#post(this.#body(request, true, context), call.signal);
      if (!response.ok) throw await echoHttpError(response, context);
      if (!response.body) throw truncatedStreamError(context);
      yield* mapEchoStream(response.body, context);
    } catch (error) {
      throw mapEchoError(error, context);
    }
  }

  /** The body of one call; a part the API would refuse throws here, before any request. */
  #body(request: ChatRequest, stream: boolean, context: ErrorContext): EchoReplyRequest {
    return buildEchoRequest({ request, options: this.#config.options, context, stream });
  }

  /** Exactly one request; the signal closes it on abort or a registry timeout. */
  #post(body: EchoReplyRequest, signal: AbortSignal): Promise<Response> {
    return this.#config.fetch(this.#url, { method: 'POST', headers: this.#config.headers, body: JSON.stringify(body), signal });
  }

  #context(call: CallOptions): ErrorContext {
    return { client: call.client, provider: this.provider, model: this.model };
  }
}
