import type { GenerateContentParameters, GoogleGenAI } from '@google/genai';
import type { CallOptions, ChatModel, ChatRequest, ModelResult, ModelStreamPart } from '@reg/core';
import type { GoogleCommonOptions } from './google-options.js';
import { toGoogleRequest } from './google-request.js';
import { toModelResult } from './google-response.js';
import { mapGoogleStream } from './google-stream.js';
import type { GoogleTransport } from './google-transport.js';
import { mapGoogleError } from './map-google-error.js';

export interface GoogleChatModelOptions {
  provider: string;
  /** Built once per model: the SDK client holds the auth client and its cached token. */
  client: GoogleGenAI;
  transport: GoogleTransport;
  options: GoogleCommonOptions;
}

/** One Gemini model behind the Gemini API or Vertex AI; the two differ only in how the SDK client is built. */
export class GoogleChatModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  readonly #client: GoogleGenAI;
  readonly #transport: GoogleTransport;
  readonly #options: GoogleCommonOptions;

  constructor(options: GoogleChatModelOptions) {
    this.provider = options.provider;
    this.model = options.options.model;
    this.#client = options.client;
    this.#transport = options.transport;
    this.#options = options.options;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    try {
      return toModelResult(await this.#client.models.generateContent(this.#parameters(request, call)));
    } catch (thrown) {
      throw mapGoogleError(thrown, { client: call.client, provider: this.provider, model: this.model });
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart> {
    try {
      yield* mapGoogleStream(await this.#client.models.generateContentStream(this.#parameters(request, call)));
    } catch (thrown) {
      throw mapGoogleError(thrown, { client: call.client, provider: this.provider, model: this.model });
    }
  }

  #parameters(request: ChatRequest, call: CallOptions): GenerateContentParameters {
    const { contents, config, extraBody } = toGoogleRequest(request, this.#options, this.provider);
    return {
      model: this.model,
      contents,
      config: {
        ...config,
        abortSignal: call.signal,
        // Continuation would make more than one upstream request per attempt; reg owns retries.
        automaticContinuation: false,
        httpOptions: {
          fetch: this.#transport.fetchFor(call.http.connectTimeoutMs),
          ...(Object.keys(extraBody).length > 0 ? { extraBody } : {}),
        },
      },
    };
  }
}
