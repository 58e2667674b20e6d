import type { GenerateContentParameters, GoogleGenAI } from '@google/genai';
import type { CallOptions, ChatModel, ChatRequest, ErrorCode, ModelResult, ModelStreamPart } from '@reg/core';
import { buildGoogleDefaults, buildGoogleRequest, type GoogleRequestDefaults } from './build-google-request.js';
import type { GoogleFileRules } from './google-file-rules.js';
import type { GoogleCommonOptions } from './google-options.js';
import { mapGoogleError } from './map-google-error.js';
import { mapGoogleResponse } from './map-google-response.js';
import { mapGoogleStream } from './map-google-stream.js';

export interface GoogleChatModelOptions {
  provider: string;
  /** Built once per model, with the model's fetch: the SDK client holds the auth client and its cached token. */
  client: GoogleGenAI;
  options: GoogleCommonOptions;
  /** What the API takes in file parts (see google-file-rules.ts). */
  files: GoogleFileRules;
  /** What error messages tell users to check (see map-google-error.ts). */
  advice: Partial<Record<ErrorCode, string>>;
}

/** One Gemini model behind the Gemini API or Vertex AI; the two differ only in how the SDK client is built. */
export class GoogleChatModel implements ChatModel {
  readonly provider: string;
  readonly model: string;
  readonly #client: GoogleGenAI;
  readonly #defaults: GoogleRequestDefaults;
  readonly #advice: Partial<Record<ErrorCode, string>>;

  constructor(options: GoogleChatModelOptions) {
    this.provider = options.provider;
    this.model = options.options.model;
    this.#client = options.client;
    this.#defaults = buildGoogleDefaults(options.options, options.files);
    this.#advice = options.advice;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    try {
      return mapGoogleResponse(await this.#client.models.generateContent(this.#parameters(request, call)));
    } catch (thrown) {
      throw mapGoogleError(thrown, { client: call.client, provider: this.provider, model: this.model, advice: this.#advice });
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart> {
    try {
      yield* mapGoogleStream(await this.#client.models.generateContentStream(this.#parameters(request, call)));
    } catch (thrown) {
      throw mapGoogleError(thrown, { client: call.client, provider: this.provider, model: this.model, advice: this.#advice });
    }
  }

  #parameters(request: ChatRequest, call: CallOptions): GenerateContentParameters {
    const { contents, config, extraBody } = buildGoogleRequest(request, this.#defaults, this.provider);
    config.abortSignal = call.signal;
    // Per-request httpOptions make the SDK copy the client's; only extra body fields need them.
    if (Object.keys(extraBody).length > 0) config.httpOptions = { extraBody };
    return { model: this.model, contents, config };
  }
}
