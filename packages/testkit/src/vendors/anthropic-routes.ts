import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { echoReply, isFault } from '../emulator/script-store.js';
import { applyTransportFaults } from '../emulator/transport-faults.js';
import type { Exchange, Fault, Reply, VendorRoute } from '../emulator/types.js';
import {
  anthropicErrorMessage,
  anthropicId,
  anthropicRateLimitHeaders,
  anthropicStatusForErrorType,
  sendAnthropicError,
  sendAnthropicStatusFault,
} from './anthropic-errors.js';
import {
  anthropicMessageBody,
  anthropicStreamPlan,
  resolveAnthropicReply,
  validateMessagesRequest,
} from './anthropic-messages.js';

/**
 * Checks `x-api-key` or `Authorization: Bearer`: the API takes both, and `@anthropic-ai/sdk` 1.x sends
 * even `apiKey` as a bearer token. Answers the 401 itself.
 */
function authenticate(exchange: Exchange): boolean {
  const { headers } = exchange.request;
  const apiKey = headers['x-api-key'];
  const authorization = headers.authorization;
  const bearer = typeof authorization === 'string' && authorization.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  if (apiKey === TEST_CREDENTIALS.anthropic || bearer === TEST_CREDENTIALS.anthropic) return true;
  let message = 'x-api-key header is required';
  if (apiKey !== undefined) message = 'invalid x-api-key';
  else if (authorization !== undefined) message = 'Invalid bearer token';
  sendAnthropicError(exchange, { status: 401, type: 'authentication_error', message });
  return false;
}

/** The Messages API's request limit ("Maximum request size: 32 MB"), answered before the API sees the request. */
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/** The `anthropic-beta` header's comma-separated betas. */
function betasOf(exchange: Exchange): string[] {
  const header = exchange.request.headers['anthropic-beta'];
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text.split(',').map((beta) => beta.trim()).filter((beta) => beta !== '');
}

async function handleMessages(exchange: Exchange): Promise<void> {
  if (exchange.request.rawBody.length > MAX_REQUEST_BYTES) return sendAnthropicError(exchange, { status: 413 });
  if (!authenticate(exchange)) return;
  if (!exchange.request.headers['anthropic-version']) {
    return sendAnthropicError(exchange, { status: 400, message: 'anthropic-version: header is required' });
  }
  const body = exchange.request.body;
  if (body === undefined) {
    const message = 'There was an issue with the request body: it is not valid JSON.';
    return sendAnthropicError(exchange, { status: 400, message });
  }
  const invalid = validateMessagesRequest(body, { betas: betasOf(exchange) });
  if (invalid) return sendAnthropicError(exchange, { status: 400, message: invalid });
  const request = body as Record<string, unknown>;
  const stream = request.stream === true;

  const { script, outcome } = exchange.take(String(request.model));
  if (await applyTransportFaults(exchange, script, outcome, { stream })) return;
  if (isFault(outcome) && outcome.kind === 'status') return sendAnthropicStatusFault(exchange, outcome);

  const fault = isFault(outcome) ? outcome : undefined;
  const reply: Reply = fault ? (script.reply ?? echoReply(exchange.request)) : (outcome as Reply);
  const rendered = resolveAnthropicReply(reply, exchange.request);
  const requestId = anthropicId('req');
  const headers = { 'request-id': requestId, ...anthropicRateLimitHeaders({ exhausted: false }) };

  if (stream) {
    const streamHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers };
    const plan = anthropicStreamPlan(rendered, { chunkSize: script.chunkSize });
    return exchange.stream({ headers: streamHeaders, plan, script, outcome: fault ?? reply });
  }
  if (fault) return sendStreamFaultAsJson(exchange, { fault, message: anthropicMessageBody(rendered), headers });
  exchange.json(200, anthropicMessageBody(rendered), headers);
}

/**
 * Writes a chunk and resolves once it has left for the socket. Node corks a response's socket until
 * the next tick, so destroying it right after synchronous writes would drop everything written.
 */
function writeFlushed(exchange: Exchange, chunk: string): Promise<void> {
  const response = exchange.response as unknown as { write(chunk: string, callback: () => void): boolean };
  return new Promise((resolve) => response.write(chunk, () => resolve()));
}

/**
 * Stream faults scripted for a non-streamed call: an in-band error becomes the status the API uses
 * for that error type; a cut or malformed stream becomes a body that breaks off or is not JSON.
 * Pacing faults (drip, slow-first-token) leave the answer intact.
 */
async function sendStreamFaultAsJson(
  exchange: Exchange,
  options: { fault: Fault; message: unknown; headers: Record<string, string> },
): Promise<void> {
  const { fault, headers } = options;
  const text = JSON.stringify(options.message);
  const jsonHeaders = (body: string) => ({ 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  switch (fault.kind) {
    case 'stream-error': {
      const type = fault.type ?? 'overloaded_error';
      const message = fault.message ?? anthropicErrorMessage(type);
      return sendAnthropicError(exchange, { status: anthropicStatusForErrorType(type), type, message });
    }
    case 'cut':
      exchange.response.writeHead(200, jsonHeaders(text));
      await writeFlushed(exchange, text.slice(0, Math.floor(text.length / 2)));
      return exchange.reset();
    case 'malformed': {
      const broken = text.slice(0, Math.floor(text.length / 2));
      exchange.response.writeHead(200, jsonHeaders(broken));
      return exchange.response.end(broken);
    }
    default:
      exchange.json(200, options.message, headers);
  }
}

export const anthropicRoutes: VendorRoute[] = [
  { vendor: 'anthropic', method: 'POST', pattern: /^\/v1\/messages$/, handle: handleMessages },
];
