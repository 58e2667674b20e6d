import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientRegistry } from '@reg/core';
import type { KeyCheck } from './auth.js';
import { GatewayError, toHttpError } from './errors.js';
import { sendError, sendJson } from './http-io.js';
import type { GatewayMetrics } from './metrics.js';
import { handleChatCompletions, type ChatRouteContext } from './routes/chat-completions.js';
import { handleModels } from './routes/models.js';

export interface RouterContext {
  /** The current server registry (reload swaps it). */
  registry(): ClientRegistry;
  keys: KeyCheck;
  insecureLocal: boolean;
  metrics: GatewayMetrics;
  chat: ChatRouteContext;
  /** Whether the gateway is shutting down (new calls get 503, `readyz` says so). */
  closing(): boolean;
  /** Seconds since the epoch when the gateway started (`/v1/models`' `created`). */
  startedAt: number;
}

/** The gateway's routes: health and readiness without a key, then the key check, then the API. */
export function createRouter(context: RouterContext): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const closing = context.closing();
    if (closing) response.setHeader('connection', 'close');
    if (path === '/healthz') return sendJson(response, 200, { status: 'ok' });
    if (path === '/readyz') return sendJson(response, closing ? 503 : 200, { status: closing ? 'shutting down' : 'ready' });
    if (!context.insecureLocal && !context.keys.accepts(request)) {
      return sendError(response, toHttpError(new GatewayError({ status: 401, message: 'A gateway key is required: Authorization: Bearer <key>.', code: 'invalid_api_key' })), {
        'www-authenticate': 'Bearer',
      });
    }
    const expect = (method: string) => {
      if (request.method === method) return true;
      sendError(response, toHttpError(new GatewayError({ status: 405, message: `${path} takes ${method}.`, code: 'method_not_allowed' })), { allow: method });
      return false;
    };
    switch (path) {
      case '/v1/chat/completions':
        if (!expect('POST')) return;
        if (closing) return sendError(response, toHttpError(new GatewayError({ status: 503, message: 'The gateway is shutting down.', code: 'shutting_down' })));
        return handleChatCompletions(request, response, context.chat);
      case '/v1/models':
        if (expect('GET')) handleModels(response, context.registry(), context.startedAt);
        return;
      case '/metrics':
        if (!expect('GET')) return;
        response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        response.end(context.metrics.render());
        return;
      default:
        return sendError(response, toHttpError(new GatewayError({ status: 404, message: `No route ${request.method} ${path}.`, code: 'not_found' })));
    }
  };
}
