import Anthropic, { type ClientOptions } from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { CallOptions, ChatModel, ChatRequest, ConnectionGuard, ModelResult, ModelStreamPart } from '@reg/core';
import { HttpTransport } from '@reg/http';
import { PROVIDER_NAME, type AnthropicOptions } from './anthropic-options.js';
import { toAnthropicRequest } from './anthropic-request.js';
import { toModelResult } from './anthropic-response.js';
import { mapAnthropicStream } from './anthropic-stream.js';
import { anthropicFetch } from './anthropic-transport.js';
import { mapAnthropicError } from './map-anthropic-error.js';

/**
 * The SDK's own per-request timer. reg bounds attempts through `call.signal`; setting the SDK's
 * timer explicitly (to its own default) keeps it from refusing large non-streamed max_tokens.
 */
const SDK_TIMEOUT_MS = 10 * 60 * 1000;

export interface AnthropicModelSettings {
  options: AnthropicOptions;
  apiKey: string;
  baseURL: string;
  /** The registry's connection guard: every connection of this model goes through it. */
  guard?: ConnectionGuard | undefined;
}

/** One SDK client per distinct connect timeout, built on first use and kept (keep-alive). */
export class AnthropicChatModel implements ChatModel {
  readonly provider = PROVIDER_NAME;
  readonly model: string;
  readonly #settings: AnthropicModelSettings;
  readonly #transport: HttpTransport;
  readonly #clientsByConnectTimeout = new Map<number | undefined, Anthropic>();

  constructor(settings: AnthropicModelSettings) {
    this.#settings = settings;
    this.#transport = new HttpTransport({ guard: settings.guard });
    this.model = settings.options.model;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    const context = { client: call.client, model: this.model };
    try {
      const body = toAnthropicRequest(request, this.#settings.options);
      const message = await this.#sdk(call).messages.create(body as MessageCreateParamsNonStreaming, { signal: call.signal });
      return toModelResult(message);
    } catch (error) {
      throw mapAnthropicError(error, context);
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart, void, undefined> {
    const context = { client: call.client, model: this.model };
    try {
      const body = toAnthropicRequest(request, this.#settings.options);
      const events = await this.#sdk(call).messages.create({ ...body, stream: true }, { signal: call.signal });
      yield* mapAnthropicStream(events, context);
    } catch (error) {
      // The SDK ends a stream quietly when its request is aborted; the abort reason says why.
      if (call.signal.aborted) throw call.signal.reason;
      throw mapAnthropicError(error, context);
    }
  }

  #sdk(call: CallOptions): Anthropic {
    const connectTimeoutMs = call.http.connectTimeoutMs;
    let client = this.#clientsByConnectTimeout.get(connectTimeoutMs);
    if (!client) {
      client = this.#build(anthropicFetch(this.#transport, connectTimeoutMs));
      this.#clientsByConnectTimeout.set(connectTimeoutMs, client);
    }
    return client;
  }

  #build(fetch: ClientOptions['fetch']): Anthropic {
    const { options, apiKey, baseURL } = this.#settings;
    const headers: Record<string, string> = { ...options.headers };
    if (options.anthropic_version) headers['anthropic-version'] = options.anthropic_version;
    return new Anthropic({
      apiKey,
      baseURL,
      // The registry is the only retry loop.
      maxRetries: 0,
      timeout: SDK_TIMEOUT_MS,
      defaultHeaders: headers,
      // reg reports every failure as a RegError; the SDK's console logging would repeat it.
      logLevel: 'off',
      fetch,
    });
  }
}
