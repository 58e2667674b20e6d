import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import type { CallOptions, ChatModel, ChatRequest, ModelResult, ModelStreamPart } from '@reg/core';
import { malformedResponseError } from '@reg/provider-utils';
import type { BedrockOptions } from './bedrock-options.js';
import { PROVIDER_NAME } from './bedrock-provider.js';
import { createBedrockHandler } from './bedrock-transport.js';
import { buildBedrockRequest } from './build-bedrock-request.js';
import { mapBedrockError, type BedrockErrorContext } from './map-bedrock-error.js';
import { mapBedrockResponse } from './map-bedrock-response.js';
import { mapBedrockStream } from './map-bedrock-stream.js';

export interface BedrockModelSettings {
  options: BedrockOptions;
  region: string;
  /** `endpoint_url`, else AWS_ENDPOINT_URL_BEDROCK_RUNTIME / AWS_ENDPOINT_URL; else the SDK's regional endpoint. */
  endpoint: string | undefined;
  /** The client's `options.http.connect_timeout_ms`. */
  connectTimeoutMs: number | undefined;
  /** Explicit or environment credentials; undefined lets the SDK resolve its chain (or `profile`). */
  credentials: BedrockRuntimeClientConfig['credentials'] | undefined;
  profile: string | undefined;
  /** Credential values to scrub from every error. */
  secrets: string[];
}

/**
 * Send options for a ConverseStream call. The SDK gives every event-stream request an HTTP/2
 * session of its own (a new connection per stream), which it needs for bidirectional streams
 * only; ConverseStream's response-only stream multiplexes on the shared session like any request.
 * `isEventStream` is the handler option the SDK sets for that; should a later SDK ignore our
 * value, streams merely go back to a connection each.
 */
const SHARED_SESSION = { isEventStream: false } as const;

export class BedrockChatModel implements ChatModel {
  readonly provider = PROVIDER_NAME;
  readonly model: string;
  readonly #settings: BedrockModelSettings;
  /** Built on first call (the SDK client resolves its configuration then), and reused. */
  #client: BedrockRuntimeClient | undefined;

  constructor(settings: BedrockModelSettings) {
    this.model = settings.options.model;
    this.#settings = settings;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    try {
      const input = buildBedrockRequest(request, { options: this.#settings.options, client: call.client, model: this.model });
      const response = await this.#sdkClient().send(new ConverseCommand(input), { abortSignal: call.signal });
      return mapBedrockResponse(response);
    } catch (thrown) {
      throw mapBedrockError(thrown, this.#errorContext(call));
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart> {
    try {
      const input = buildBedrockRequest(request, { options: this.#settings.options, client: call.client, model: this.model });
      const response = await this.#sdkClient().send(new ConverseStreamCommand(input), { abortSignal: call.signal, ...SHARED_SESSION });
      if (!response.stream) throw malformedResponseError(this.#errorContext(call), new Error('Bedrock answered without a response stream'));
      yield* mapBedrockStream(response.stream, { call, model: this.model });
    } catch (thrown) {
      throw mapBedrockError(thrown, this.#errorContext(call));
    }
  }

  #sdkClient(): BedrockRuntimeClient {
    if (this.#client) return this.#client;
    const { region, endpoint, credentials, profile, connectTimeoutMs } = this.#settings;
    this.#client = new BedrockRuntimeClient({
      region,
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      ...(profile ? { profile } : {}),
      // reg's registry is the only retry loop.
      maxAttempts: 1,
      requestHandler: createBedrockHandler({ connectTimeoutMs }),
    });
    return this.#client;
  }

  #errorContext(call: CallOptions): BedrockErrorContext {
    return { client: call.client, provider: PROVIDER_NAME, model: this.model, region: this.#settings.region, secrets: this.#settings.secrets };
  }
}
