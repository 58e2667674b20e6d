import { defineProvider, type CallOptions, type ChatModel, type ChatRequest, type ModelResult, type ModelStreamPart } from '@reg/core';
import { Agent, fetch, type Response } from 'undici';
import { API_KEY_ENV, parseEchoOptions, PROVIDER_NAME, type EchoOptions } from './echo-options.js';
import { buildEchoBody } from './echo-request.js';
import { mapEchoCompletion, type EchoCompletion } from './echo-response.js';
import { mapEchoStream } from './echo-stream.js';
import { httpError, malformedData, mapEchoError, truncatedStream, type EchoErrorContext } from './map-echo-error.js';

/**
 * `echo`: any server that speaks OpenAI's Chat Completions wire format (vLLM, Ollama, LiteLLM,
 * llama.cpp, OpenAI itself), on plain fetch, so the whole provider contract is in sight.
 */
export const echo = defineProvider<EchoOptions>({
  name: PROVIDER_NAME,
  parseOptions: parseEchoOptions,
  // Called once per distinct options; the key is read here, never at import.
  createModel: (options, context) => new EchoChatModel(options, options.apiKey ?? context.env[API_KEY_ENV]),
});

class EchoChatModel implements ChatModel {
  readonly provider = PROVIDER_NAME;
  readonly model: string;
  readonly #options: EchoOptions;
  readonly #headers: Record<string, string>;
  /** One keep-alive pool per connect timeout (0: undici's default), reused by every call. */
  readonly #agents = new Map<number, Agent>();

  constructor(options: EchoOptions, apiKey: string | undefined) {
    this.model = options.model;
    this.#options = options;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    // Lower-cased, so a configured `Authorization` replaces ours instead of being sent next to it.
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    this.#headers = headers;
  }

  async doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult> {
    const context: EchoErrorContext = { client: call.client, model: this.model };
    try {
      const response = await this.#post(request, call, false, context);
      const text = await response.text();
      let completion: EchoCompletion;
      try {
        completion = JSON.parse(text) as EchoCompletion;
      } catch (error) {
        throw malformedData(context, error);
      }
      return mapEchoCompletion(completion, response.headers.get('x-request-id'));
    } catch (error) {
      throw mapEchoError(error, context);
    }
  }

  async *doStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ModelStreamPart> {
    const context: EchoErrorContext = { client: call.client, model: this.model };
    try {
      const response = await this.#post(request, call, true, context);
      if (!response.body) throw truncatedStream(context);
      yield* mapEchoStream(response.body as ReadableStream<Uint8Array>, context);
    } catch (error) {
      throw mapEchoError(error, context);
    }
  }

  /** Exactly one request per attempt; `call.signal` closes it on abort or a registry timeout. */
  async #post(request: ChatRequest, call: CallOptions, stream: boolean, context: EchoErrorContext): Promise<Response> {
    const response = await fetch(`${this.#options.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { ...this.#headers, accept: stream ? 'text/event-stream' : 'application/json' },
      body: JSON.stringify(buildEchoBody(request, this.#options, stream)),
      signal: call.signal,
      dispatcher: this.#agent(call.http.connectTimeoutMs),
    });
    if (!response.ok) throw await httpError(response, context);
    return response;
  }

  #agent(connectTimeoutMs: number | undefined): Agent {
    const key = connectTimeoutMs ?? 0;
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = key > 0 ? new Agent({ connect: { timeout: key } }) : new Agent();
      this.#agents.set(key, agent);
    }
    return agent;
  }
}
