import { randomBytes } from 'node:crypto';
import type { Exchange, Fault, StatusFault } from '../emulator/types.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Anthropic's ids: a prefix and 24 base62 characters, e.g. `req_011CSHoEeqs5C35K2UUqR7Fy`. */
export function anthropicId(prefix: 'req' | 'msg' | 'toolu'): string {
  const bytes = randomBytes(24);
  let suffix = '';
  for (const byte of bytes) suffix += ID_ALPHABET[byte % ID_ALPHABET.length];
  return `${prefix}_01${suffix.slice(2)}`;
}

/** The `error.type` Anthropic documents for each HTTP status (docs: "HTTP errors"). */
const ERROR_TYPES_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const DEFAULT_MESSAGES: Record<string, string> = {
  invalid_request_error: 'Invalid request.',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'Not found',
  conflict_error: 'Conflict.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit.',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out.',
  overloaded_error: 'Overloaded',
};

/** The error type for a status; other 4xx are `invalid_request_error`, other 5xx `api_error`, as the docs say. */
export function anthropicErrorType(status: number): string {
  return ERROR_TYPES_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** The status a non-streamed request gets for an error type that a stream would carry in-band. */
export function anthropicStatusForErrorType(type: string): number {
  for (const [status, candidate] of Object.entries(ERROR_TYPES_BY_STATUS)) {
    if (candidate === type) return Number(status);
  }
  return 500;
}

export function anthropicErrorMessage(type: string): string {
  return DEFAULT_MESSAGES[type] ?? 'Internal server error';
}

/** `{ type: 'error', error: { type, message }, request_id }`, the one shape of every Anthropic error. */
export function anthropicErrorBody(options: { type: string; message: string; requestId?: string }) {
  const body: { type: 'error'; error: { type: string; message: string }; request_id?: string } = {
    type: 'error',
    error: { type: options.type, message: options.message },
  };
  if (options.requestId) body.request_id = options.requestId;
  return body;
}

/** Sends an Anthropic error with its `request-id` header; the body repeats the id. */
export function sendAnthropicError(
  exchange: Exchange,
  options: { status: number; type?: string; message?: string; headers?: Record<string, string> },
): void {
  const requestId = anthropicId('req');
  const type = options.type ?? anthropicErrorType(options.status);
  const message = options.message ?? anthropicErrorMessage(type);
  exchange.json(options.status, anthropicErrorBody({ type, message, requestId }), {
    'request-id': requestId,
    ...options.headers,
  });
}

/** Renders a scripted status fault with the retry headers the SDK reads. */
export function sendAnthropicStatusFault(exchange: Exchange, fault: StatusFault): void {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  if (fault.shouldRetry !== undefined) headers['x-should-retry'] = String(fault.shouldRetry);
  if (fault.status === 429) Object.assign(headers, anthropicRateLimitHeaders({ exhausted: true }));
  Object.assign(headers, fault.headers);
  sendAnthropicError(exchange, {
    status: fault.status,
    type: fault.type ?? fault.code,
    message: fault.message,
    headers,
  });
}

const RATE_LIMITS = { requests: 50, tokens: 90_000, 'input-tokens': 80_000, 'output-tokens': 10_000 } as const;

/** The `anthropic-ratelimit-*` headers the API sends; exhausted ones report no request left. */
export function anthropicRateLimitHeaders(options: { exhausted: boolean }): Record<string, string> {
  const reset = new Date(Math.ceil(Date.now() / 60_000) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const headers: Record<string, string> = {};
  for (const [name, limit] of Object.entries(RATE_LIMITS)) {
    const remaining = options.exhausted && name === 'requests' ? 0 : limit - 1;
    headers[`anthropic-ratelimit-${name}-limit`] = String(limit);
    headers[`anthropic-ratelimit-${name}-remaining`] = String(remaining);
    headers[`anthropic-ratelimit-${name}-reset`] = reset;
  }
  return headers;
}

/** The in-band SSE error event, as the API sends it after a 200 (e.g. `overloaded_error`). */
export function anthropicStreamErrorFrame(fault: Extract<Fault, { kind: 'stream-error' }>): string {
  const type = fault.type ?? 'overloaded_error';
  const message = fault.message ?? anthropicErrorMessage(type);
  return `event: error\ndata: ${JSON.stringify(anthropicErrorBody({ type, message }))}\n\n`;
}
