import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { RegError, type CallOptions, type ChatModel, type ChatRequest, type ModelResult, type ModelStreamPart } from '@reg/core';
import type { BedrockOptions } from './bedrock-options.js';
import { PROVIDER_NAME, toConverseInput } from './bedrock-request.js';
import { toModelResult } from './bedrock-response.js';
import { mapConverseStream } from './bedrock-stream.js';
import { createBedrockHandler } from './bedrock-transport.js';
import { mapBedrockError, type BedrockErrorContext } from './map-bedrock-error.js';

export interface BedrockModelSettings {
  options: BedrockOptions;
  region: string;
  /** `endpoint_url`, else AWS_ENDPOINT_URL_BEDROCK_RUNTIME / AWS_ENDPOINT_URL; else the SDK's regional endpoint. */
  endpoint: string | undefined;
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
const SHARED_SESSION = { isEventStream: false };

export class BedrockChatModel implements ChatModel {
  readonly provider = PROVIDER_NAME;
  readonly model: string;
  readonly #settings: BedrockModelSettings;
  /** One SDK client per connect timeout: the timeout lives in the client's request handler. */
  readonly #clients = new Map<number | undefined, BedrockRuntimeClient>();

  constructor(settings: BedrockModelSettings) {
    this.model = settings.options.model;
    this.#settings = settings;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    const errorContext = this.#errorContext(call);
    try {
      const input = toConverseInput(request, { options: this.#settings.options, client: call.client });
      const response = await this.#client(call).send(new ConverseCommand({ modelId: this.model, ...input }), { abortSignal: call.signal });
      return toModelResult(response);
    } catch (thrown) {
      throw mapBedrockError(thrown, errorContext);
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart> {
    const errorContext = this.#errorContext(call);
    try {
      const input = toConverseInput(request, { options: this.#settings.options, client: call.client });
      const response = await this.#client(call).send(new ConverseStreamCommand({ modelId: this.model, ...input }), {
        abortSignal: call.signal,
        ...SHARED_SESSION,
      });
      if (!response.stream) {
        throw new RegError({ code: 'server', retryable: true, message: `Bedrock answered client '${call.client}' without a response stream.` });
      }
      yield* mapConverseStream(response.stream, { signal: call.signal, client: call.client });
    } catch (thrown) {
      throw mapBedrockError(thrown, errorContext);
    }
  }

  #client(call: CallOptions): BedrockRuntimeClient {
    const connectTimeoutMs = call.http.connectTimeoutMs;
    let client = this.#clients.get(connectTimeoutMs);
    if (!client) {
      const { region, endpoint, credentials, profile } = this.#settings;
      client = new BedrockRuntimeClient({
        region,
        ...(endpoint ? { endpoint } : {}),
        ...(credentials ? { credentials } : {}),
        ...(profile ? { profile } : {}),
        // reg's registry is the only retry loop.
        maxAttempts: 1,
        requestHandler: createBedrockHandler({ connectTimeoutMs }),
      });
      this.#clients.set(connectTimeoutMs, client);
    }
    return client;
  }

  #errorContext(call: CallOptions): BedrockErrorContext {
    return { client: call.client, model: this.model, region: this.#settings.region, secrets: this.#settings.secrets };
  }
}
