import type { IncomingMessage, ServerResponse } from 'node:http';
import { AbortedError, type CallSettings, type ClientRegistry } from '@reg/core';
import { toHttpError, type HttpError } from '../errors.js';
import { drained, readJsonBody, sendError, sendJson } from '../http-io.js';
import type { GatewayMetrics } from '../metrics.js';
import { parseChatCompletion } from '../openai-wire-request.js';
import { ChunkEncoder, completionId, toChatCompletion } from '../openai-wire-response.js';
import { buildRequestRegistry, type RequestRegistryContext } from '../request-registry.js';
import type { GatewayLimits } from '../types.js';

/** The label request-defined clients get in metrics: their names are the caller's to choose. */
export const REQUEST_DEFINED_LABEL = 'request-defined';

export interface ChatRouteContext {
  /** The current server registry (reload swaps it; a request keeps the one it started with). */
  registry(): ClientRegistry;
  /** A server client name as a metrics label. */
  label(client: string): string;
  metrics: GatewayMetrics;
  limits: GatewayLimits;
  requestRegistries: RequestRegistryContext;
  log(entry: Record<string, unknown>): void;
  /** Called with the request's abort controller while it runs, so shutdown can end it. */
  track(controller: AbortController): () => void;
}

export async function handleChatCompletions(request: IncomingMessage, response: ServerResponse, context: ChatRouteContext): Promise<void> {
  const startedAt = performance.now();
  const controller = new AbortController();
  const untrack = context.track(controller);
  // A caller that goes away before the answer is complete cancels the upstream call, its retries and fallbacks.
  response.on('close', () => {
    if (!response.writableFinished) controller.abort(new AbortedError({ message: 'The gateway client disconnected.' }));
  });
  let label = 'unknown';
  let requestDefined = false;
  let stopMetrics: (() => void) | undefined;
  try {
    const body = await readJsonBody(request, context.limits.maxBodyBytes);
    const parsed = parseChatCompletion(body);
    const fields = body as Record<string, unknown>;
    requestDefined = (fields.reg_options ?? fields.__baml_options__) != null;
    const own = requestDefined ? await buildRequestRegistry(fields, context.requestRegistries) : undefined;
    let registry: ClientRegistry;
    const settings: CallSettings = { signal: controller.signal };
    if (own) {
      requestDefined = true;
      label = REQUEST_DEFINED_LABEL;
      registry = own.registry;
      settings.client = own.clientFor(parsed.model);
      // A request-defined call is bounded whatever its clients say.
      settings.timeoutMs = context.limits.maxTimeoutMs;
      stopMetrics = context.metrics.observe(registry, () => REQUEST_DEFINED_LABEL);
    } else {
      registry = context.registry();
      settings.client = parsed.model;
      label = context.label(parsed.model);
    }
    const id = completionId();
    const created = Math.floor(Date.now() / 1000);
    if (!parsed.stream) {
      const result = await registry.generate(parsed.request, settings);
      if (!requestDefined) label = context.label(result.client);
      sendJson(response, 200, toChatCompletion(result, id, created), {
        'x-reg-client': result.client,
        'x-reg-attempts': String(result.attempts.length),
      });
    } else {
      await streamAnswer({ registry, parsed, settings, response, id, created, startedAt, context, requestDefined, onLabel: (client) => (label = client) });
    }
    finish(context, { label, status: response.statusCode, startedAt });
  } catch (thrown) {
    const error = toHttpError(thrown, { requestDefined });
    // After a stream began, its own catch already reported the failure in-band.
    if (!response.headersSent) sendError(response, error);
    else if (!response.writableEnded) response.destroy();
    const status = controller.signal.aborted && !response.writableFinished ? 499 : error.status;
    finish(context, { label, status, startedAt, error });
  } finally {
    stopMetrics?.();
    untrack();
  }
}

interface StreamAnswer {
  registry: ClientRegistry;
  parsed: ReturnType<typeof parseChatCompletion>;
  settings: CallSettings;
  response: ServerResponse;
  id: string;
  created: number;
  startedAt: number;
  context: ChatRouteContext;
  requestDefined: boolean;
  onLabel(label: string): void;
}

/**
 * Streams the answer as SSE. Headers wait for the registry's `start` part: until then retries and
 * fallbacks happen unseen, a failure is still an ordinary HTTP error, and the headers can say which
 * client answered (`x-reg-client`) after how many attempts (`x-reg-attempts`, those before the
 * first content). After it, a failure is OpenAI's in-band error event.
 */
async function streamAnswer(input: StreamAnswer): Promise<void> {
  const { response, context } = input;
  const encoder = new ChunkEncoder({ id: input.id, created: input.created, includeUsage: input.parsed.includeUsage });
  let firstContentSent = false;
  try {
    for await (const part of input.registry.stream(input.parsed.request, input.settings)) {
      if (part.type === 'start') {
        if (!input.requestDefined) input.onLabel(context.label(part.client));
        context.metrics.firstToken.observe({ client: input.requestDefined ? REQUEST_DEFINED_LABEL : context.label(part.client) }, (performance.now() - input.startedAt) / 1000);
        response.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          'x-reg-client': part.client,
          // `start` carries the attempts before this one (failed or skipped); this one is answering.
          'x-reg-attempts': String(part.attempts.length + 1),
        });
      }
      const text = encoder.encode(part);
      const writable = text === '' || response.write(text);
      if (!firstContentSent && part.type !== 'start') {
        // Node corks the socket on a response's first write of a tick and sends at the tick's end.
        // When the upstream's answer arrives in one piece, that tick lasts until the whole stream
        // has been converted: send the first content now, so time to first token does not wait.
        // (Uncorking a socket that is not corked does nothing.)
        firstContentSent = true;
        response.socket?.uncork();
      }
      if (!writable) await drained(response);
      if (part.type === 'finish') break;
    }
    response.end();
  } catch (thrown) {
    if (!response.headersSent || response.destroyed) throw thrown;
    const error: HttpError = toHttpError(thrown, { requestDefined: input.requestDefined });
    response.end(encoder.error(error.body));
    throw thrown;
  }
}

function finish(context: ChatRouteContext, outcome: { label: string; status: number; startedAt: number; error?: HttpError }): void {
  const seconds = (performance.now() - outcome.startedAt) / 1000;
  context.metrics.requests.inc({ client: outcome.label, status: String(outcome.status) });
  context.metrics.duration.observe({ client: outcome.label }, seconds);
  if (outcome.error) {
    const code = outcome.error.body.error.code ?? 'unknown';
    context.metrics.errors.inc({ client: outcome.label, code: outcome.status === 499 ? 'aborted' : code });
    // Messages are built by reg and scrubbed of credentials; the body of the request is never logged.
    context.log({ level: outcome.status >= 500 ? 'error' : 'warn', msg: 'request failed', status: outcome.status, code, client: outcome.label, message: outcome.error.body.error.message });
  }
}
