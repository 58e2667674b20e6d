import type { CallOptions, ChatModel, ChatRequest, ModelResult, ModelStreamPart } from '@reg/core';
import type OpenAI from 'openai';
import { buildOpenAIChatRequest, type ChatRequestDefaults } from './build-openai-chat-request.js';
import { mapOpenAIChatResponse } from './map-openai-chat-response.js';
import { mapOpenAIChatStream } from './map-openai-chat-stream.js';
import { mapOpenAIError } from './map-openai-error.js';

export interface OpenAIChatModelSettings extends ChatRequestDefaults {
  /** Built once for the model, with every per-model request option (see createOpenAIClient). */
  client: OpenAI;
  /** Whether to ask for usage in streams (`stream_options.include_usage`). */
  streamUsage: boolean;
}

/** A Chat Completions model on one SDK client: each attempt is exactly one `POST /chat/completions`. */
export class OpenAIChatModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  readonly #settings: OpenAIChatModelSettings;

  constructor(settings: OpenAIChatModelSettings) {
    this.provider = settings.provider;
    this.model = settings.model;
    this.#settings = settings;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    const body = buildOpenAIChatRequest(request, this.#settings, call.client);
    try {
      return mapOpenAIChatResponse(await this.#settings.client.chat.completions.create(body, { signal: call.signal }));
    } catch (error) {
      throw mapOpenAIError(error, { client: call.client, provider: this.provider, model: this.model });
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart, void, undefined> {
    const body: OpenAI.ChatCompletionCreateParamsStreaming = { ...buildOpenAIChatRequest(request, this.#settings, call.client), stream: true };
    if (this.#settings.streamUsage && body.stream_options === undefined) body.stream_options = { include_usage: true };
    const who = { client: call.client, provider: this.provider, model: this.model };
    try {
      const chunks = await this.#settings.client.chat.completions.create(body, { signal: call.signal });
      yield* mapOpenAIChatStream(chunks, who);
    } catch (error) {
      throw mapOpenAIError(error, who);
    }
  }
}
