import type { CallOptions, ChatModel, ChatRequest, ConnectionGuard, ModelResult, ModelStreamPart } from '@reg/core';
import type OpenAI from 'openai';
import { buildChatBody, type ChatRequestDefaults } from './openai-chat-request.js';
import { mapChatCompletion } from './openai-chat-response.js';
import { mapOpenAIChatStream } from './map-openai-chat-stream.js';
import { mapOpenAIError } from './map-openai-error.js';
import { OpenAIRequestOptions } from './openai-options.js';

export interface OpenAIChatModelOptions extends ChatRequestDefaults {
  client: OpenAI;
  /** Whether to ask for usage in streams (`stream_options.include_usage`). */
  streamUsage: boolean;
  /** The registry's connection guard: every connection of this model goes through it. */
  guard?: ConnectionGuard | undefined;
}

/** A Chat Completions model on one SDK client, shared by `openai`, `openai-generic`, `azure-openai` and `openrouter`. */
export class OpenAIChatModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  readonly #options: OpenAIChatModelOptions;
  readonly #requestOptions: OpenAIRequestOptions;

  constructor(options: OpenAIChatModelOptions) {
    this.provider = options.provider;
    this.model = options.model;
    this.#options = options;
    this.#requestOptions = new OpenAIRequestOptions(options.guard);
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    const body = buildChatBody(request, this.#options);
    try {
      return mapChatCompletion(await this.#options.client.chat.completions.create(body, this.#requestOptions.for(call)));
    } catch (error) {
      throw mapOpenAIError(error, { client: call.client, provider: this.provider, model: this.model });
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart, void, undefined> {
    const body: OpenAI.ChatCompletionCreateParamsStreaming = { ...buildChatBody(request, this.#options), stream: true };
    if (this.#options.streamUsage && body.stream_options === undefined) body.stream_options = { include_usage: true };
    const who = { client: call.client, provider: this.provider, model: this.model };
    try {
      const chunks = await this.#options.client.chat.completions.create(body, this.#requestOptions.for(call));
      yield* mapOpenAIChatStream(chunks, who);
    } catch (error) {
      throw mapOpenAIError(error, who);
    }
  }
}
