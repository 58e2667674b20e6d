import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { AbortedError, errorFromHttpResponse, RegError, TimeoutError, type ErrorCode } from '@reg/core';
import { API_KEY_ENV, PROVIDER_NAME } from './anthropic-options.js';
import { ConnectTimeoutFailure } from './anthropic-transport.js';

export interface ErrorContext {
  client: string;
  model: string;
}

/** The HTTP status the API uses for each error type, so an in-band stream error is classified like the same error sent as a status. */
const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const ADVICE: Partial<Record<ErrorCode, string>> = {
  auth: `Check options.api_key (or ${API_KEY_ENV}) and that the key may use this model.`,
  not_found: 'Check options.model and options.base_url.',
  invalid_request: 'Fix the request or the client options named in the message.',
  context_length: 'Shorten the prompt or lower max_tokens.',
  quota: 'Add credits or raise the spend limit of the Anthropic organization.',
  rate_limited: 'Slow down, or spread the load over more clients (round-robin).',
  overloaded: 'Anthropic is overloaded; retry later or fall back to another client.',
  server: 'Retry later or fall back to another client.',
};

const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const CONNECTION_MESSAGE = /^(terminated|fetch failed|socket hang up|other side closed)$/i;

/** The one place that turns what the SDK (or the transport under it) threw into a RegError. */
export function mapAnthropicError(thrown: unknown, context: ErrorContext): RegError {
  if (RegError.isInstance(thrown)) return thrown;
  const base = { client: context.client, provider: PROVIDER_NAME, model: context.model, cause: thrown };
  const who = `client '${context.client}' (anthropic, ${context.model})`;

  const connectTimeout = findInChain(thrown, (error) => error instanceof ConnectTimeoutFailure) as ConnectTimeoutFailure | undefined;
  if (connectTimeout) {
    return new TimeoutError({
      ...base,
      cause: connectTimeout.error,
      timeout: 'connect_timeout_ms',
      retryable: true,
      message: `No connection to Anthropic for ${who} within connect_timeout_ms (${connectTimeout.timeoutMs} ms). Check options.base_url and the network.`,
    });
  }
  if (thrown instanceof APIUserAbortError) return new AbortedError({ ...base, message: `The call to ${who} was aborted.` });
  if (thrown instanceof APIConnectionTimeoutError) {
    return new TimeoutError({ ...base, timeout: 'request_timeout_ms', retryable: true, message: `The Anthropic SDK timed out waiting for ${who}.` });
  }
  if (thrown instanceof APIConnectionError) return connectionError(base, who, detail(thrown.cause) ?? thrown.message);

  if (thrown instanceof APIError) {
    const type = thrown.type ?? undefined;
    const apiMessage = thrown.apiMessage ?? thrown.message;
    if (thrown.status !== undefined) {
      const error = errorFromHttpResponse({
        ...base,
        status: thrown.status,
        headers: thrown.headers,
        vendorCodes: [type, thrown.errorCode],
        message: `Anthropic answered ${thrown.status}${type ? ` ${type}` : ''} to ${who}: ${apiMessage}`,
      });
      return withAdvice(error);
    }
    // An `error` event inside a 200 stream: no status of its own.
    const classified = errorFromHttpResponse({ status: STATUS_BY_TYPE[type ?? ''] ?? 500, vendorCodes: [type], message: apiMessage });
    return withAdvice(
      new RegError({
        ...base,
        code: classified.code,
        retryable: classified.retryable,
        message: `The Anthropic stream of ${who} failed with ${type ?? 'an error'}: ${apiMessage}`,
      }),
    );
  }

  if (thrown instanceof SyntaxError) {
    return new RegError({ ...base, code: 'server', retryable: true, message: `Anthropic sent ${who} data that is not valid JSON: ${thrown.message}. Retry the call.` });
  }
  if (findInChain(thrown, isConnectionFailure)) return connectionError(base, who, detail(thrown) ?? 'connection failed');
  return new RegError({ ...base, code: 'server', message: `The call to ${who} failed: ${detail(thrown) ?? String(thrown)}` });
}

function connectionError(base: { client: string; provider: string; model: string; cause: unknown }, who: string, reason: string): RegError {
  return new RegError({
    ...base,
    code: 'connection',
    retryable: true,
    message: `The connection to Anthropic for ${who} failed (${reason}). Check options.base_url and the network; the call may be retried.`,
  });
}

function withAdvice(error: RegError): RegError {
  const advice = ADVICE[error.code];
  if (advice) error.message = `${error.message} ${advice}`;
  return error;
}

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || CONNECTION_MESSAGE.test(error.message);
}

function findInChain(error: unknown, test: (error: unknown) => boolean): unknown {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The innermost message of a cause chain, where undici says what really happened. */
function detail(error: unknown): string | undefined {
  let message: string | undefined;
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    message = current.message || message;
    current = current.cause;
  }
  return message;
}
