import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { CallOptions, ChatModel, ChatRequest, ModelResult, ModelStreamPart } from '@reg/core';
import type { ErrorContext } from '@reg/provider-utils';
import type { AnthropicOptions } from './anthropic-options.js';
import { PROVIDER_NAME } from './anthropic-provider.js';
import { buildAnthropicRequest } from './build-anthropic-request.js';
import { mapAnthropicError } from './map-anthropic-error.js';
import { mapAnthropicResponse } from './map-anthropic-response.js';
import { mapAnthropicStream } from './map-anthropic-stream.js';

/** One SDK client (built by createModel, reused by every call: keep-alive), one SDK call per attempt. */
export class AnthropicChatModel implements ChatModel {
  readonly provider = PROVIDER_NAME;
  readonly model: string;
  readonly #options: AnthropicOptions;
  readonly #client: Anthropic;

  constructor(options: AnthropicOptions, client: Anthropic) {
    this.model = options.model;
    this.#options = options;
    this.#client = client;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    try {
      const body = buildAnthropicRequest(request, this.#options);
      const message = await this.#client.messages.create(body as MessageCreateParamsNonStreaming, { signal: call.signal });
      return mapAnthropicResponse(message);
    } catch (error) {
      throw mapAnthropicError(error, this.#context(call));
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart, void, undefined> {
    const context = this.#context(call);
    try {
      const body = buildAnthropicRequest(request, this.#options);
      const events = await this.#client.messages.create({ ...body, stream: true }, { signal: call.signal });
      yield* mapAnthropicStream(events, context);
    } catch (error) {
      // The SDK ends a stream quietly when its request is aborted; the abort reason says why.
      if (call.signal.aborted) throw call.signal.reason;
      throw mapAnthropicError(error, context);
    }
  }

  #context(call: CallOptions): ErrorContext {
    return { client: call.client, provider: PROVIDER_NAME, model: this.model };
  }
}
