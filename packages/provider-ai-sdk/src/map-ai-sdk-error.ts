import {
  APICallError,
  EmptyResponseBodyError,
  InvalidArgumentError,
  InvalidPromptError,
  InvalidResponseDataError,
  JSONParseError,
  LoadAPIKeyError,
  LoadSettingError,
  NoContentGeneratedError,
  NoSuchModelError,
  TypeValidationError,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import { AbortedError, errorFromHttpResponse, MissingCredentialsError, RegError, TimeoutError, type ErrorCode } from '@reg/core';
import { isRecord, PROVIDER_NAME } from './ai-sdk-options.js';

export interface ErrorContext {
  client: string;
  model: string;
  /** The AI SDK provider behind the client (`mistral.chat`), for messages. */
  vendor: string;
}

/** The HTTP status each common vendor error type stands for, so an in-band stream error classifies like the same error sent as a status. */
const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  invalid_request: 400,
  authentication_error: 401,
  invalid_api_key: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  resource_exhausted: 429,
  too_many_requests: 429,
  api_error: 500,
  server_error: 500,
  internal: 500,
  timeout_error: 504,
  unavailable: 503,
  service_unavailable: 503,
  overloaded_error: 529,
  overloaded: 529,
};

const ADVICE: Partial<Record<ErrorCode, string>> = {
  auth: 'Check the API key in options.settings (or the environment variable the package reads) and that it may use this model.',
  not_found: 'Check options.model and the base URL in options.settings.',
  invalid_request: 'Fix the request or the client options named in the message.',
  context_length: 'Shorten the prompt or lower max_tokens.',
  quota: "Add credits or raise the account's spend limit with the vendor.",
  rate_limited: 'Slow down, or spread the load over more clients (round-robin).',
  overloaded: 'The vendor is overloaded; retry later or fall back to another client.',
  server: 'Retry later or fall back to another client.',
};

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ConnectionRefused',
  'ConnectionClosed',
  'FailedToOpenSocket',
]);
const CONNECTION_MESSAGE = /^(terminated|fetch failed|failed to fetch|socket hang up|other side closed)$/i;

/**
 * The one place that turns what an AI SDK language model threw (or put in a stream `error` part)
 * into a RegError: APICallError by its status and headers, in-band error payloads by their type,
 * transport failures by the cause chain, and the SDK's own error classes by what they mean.
 */
export function mapAiSdkError(thrown: unknown, context: ErrorContext): RegError {
  if (RegError.isInstance(thrown)) return thrown;
  const base = { client: context.client, provider: PROVIDER_NAME, model: context.model, cause: thrown };
  const who = `client '${context.client}' (${PROVIDER_NAME}: ${context.vendor}, ${context.model})`;

  const connectTimeout = findInChain(thrown, (error) => codeOf(error) === 'UND_ERR_CONNECT_TIMEOUT');
  if (connectTimeout) {
    return new TimeoutError({
      ...base,
      timeout: 'connect_timeout_ms',
      retryable: true,
      message: `No connection for ${who} within the connect timeout. Check the base URL in options.settings and the network.`,
    });
  }
  if (isAbortError(thrown)) return new AbortedError({ ...base, message: `The call to ${who} was aborted.` });

  if (APICallError.isInstance(thrown)) {
    const status = thrown.statusCode;
    if (status !== undefined && status >= 400) {
      const body = parseJson(thrown.responseBody);
      const error = errorFromHttpResponse({
        ...base,
        status,
        headers: thrown.responseHeaders,
        vendorCodes: vendorCodesOf(body ?? thrown.data),
        message: `${context.vendor} answered ${status} to ${who}: ${thrown.message}`,
      });
      return withAdvice(error);
    }
    // No error status: the request never got an answer, or a 2xx body broke while being read.
    if (findInChain(thrown, isConnectionFailure)) return connectionError(base, who, detail(thrown));
    if (findInChain(thrown.cause, isMalformedData)) return malformed(base, who, detail(thrown));
    return new RegError({
      ...base,
      code: thrown.isRetryable ? 'connection' : 'server',
      retryable: thrown.isRetryable,
      message: `The call to ${who} failed: ${detail(thrown)}.${thrown.isRetryable ? ' It may be retried.' : ''}`,
    });
  }

  if (LoadAPIKeyError.isInstance(thrown)) {
    const error = new MissingCredentialsError({
      client: context.client,
      provider: PROVIDER_NAME,
      option: 'settings.apiKey',
      envVariable: /\b([A-Z][A-Z0-9_]*) environment variable/.exec(thrown.message)?.[1],
      model: context.model,
    });
    error.message = `${error.message} (${context.vendor}: ${thrown.message})`;
    return error;
  }
  if (LoadSettingError.isInstance(thrown)) {
    return new RegError({ ...base, code: 'config', message: `${who} is missing a setting: ${thrown.message} Set it in options.settings.` });
  }
  if (NoSuchModelError.isInstance(thrown)) {
    return new RegError({ ...base, code: 'not_found', message: `${context.vendor} has no model '${context.model}' for ${who}. Check options.model.` });
  }
  if (InvalidPromptError.isInstance(thrown) || UnsupportedFunctionalityError.isInstance(thrown) || InvalidArgumentError.isInstance(thrown)) {
    return new RegError({ ...base, code: 'invalid_request', message: `${context.vendor} cannot take this request for ${who}: ${thrown.message}` });
  }
  if (isMalformedData(thrown)) return malformed(base, who, detail(thrown));
  if (NoContentGeneratedError.isInstance(thrown)) {
    return new RegError({ ...base, code: 'server', retryable: true, message: `${context.vendor} generated no content for ${who}. Retry the call.` });
  }
  if (!(thrown instanceof Error) && isRecord(thrown)) return inBandError(thrown, base, who, context);
  if (findInChain(thrown, isConnectionFailure)) return connectionError(base, who, detail(thrown));
  return new RegError({ ...base, code: 'server', message: `The call to ${who} failed: ${detail(thrown)}` });
}

/** A stream `error` part whose payload is the vendor's error object (`{ message, type, code }` or `{ error: {...} }`). */
function inBandError(payload: Record<string, unknown>, base: Base, who: string, context: ErrorContext): RegError {
  const inner = isRecord(payload.error) ? payload.error : payload;
  const codes = vendorCodesOf(payload);
  const message = typeof inner.message === 'string' ? inner.message : JSON.stringify(payload);
  const status = codes.map((code) => STATUS_BY_TYPE[code.toLowerCase()]).find((found) => found !== undefined) ?? numericStatus(inner) ?? 500;
  const classified = errorFromHttpResponse({ status, vendorCodes: codes, message });
  return withAdvice(
    new RegError({
      ...base,
      code: classified.code,
      retryable: classified.retryable,
      message: `The ${context.vendor} stream of ${who} failed with ${codes[0] ?? 'an error'}: ${message}`,
    }),
  );
}

type Base = { client: string; provider: string; model: string; cause: unknown };

function connectionError(base: Base, who: string, reason: string): RegError {
  return new RegError({
    ...base,
    code: 'connection',
    retryable: true,
    message: `The connection for ${who} failed (${reason}). Check the base URL in options.settings and the network; the call may be retried.`,
  });
}

function malformed(base: Base, who: string, reason: string): RegError {
  return new RegError({ ...base, code: 'server', retryable: true, message: `The vendor sent ${who} data it could not read (${reason}). Retry the call.` });
}

function withAdvice(error: RegError): RegError {
  const advice = ADVICE[error.code];
  if (advice) error.message = `${error.message} ${advice}`;
  return error;
}

function isMalformedData(error: unknown): boolean {
  return (
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error) ||
    EmptyResponseBodyError.isInstance(error) ||
    error instanceof SyntaxError
  );
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'ResponseAborted');
}

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  return (code !== undefined && CONNECTION_CODES.has(code)) || CONNECTION_MESSAGE.test(error.message);
}

function codeOf(error: unknown): string | undefined {
  const code = isRecord(error) || error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The vendor's error type and code strings, from `{ error: { type, code } }`, `{ type, code }` or Google's `{ error: { status } }`. */
function vendorCodesOf(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const inner = isRecord(body.error) ? body.error : body;
  return [inner.type, inner.code, inner.status, typeof body.error === 'string' ? body.error : undefined].filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
}

function numericStatus(inner: Record<string, unknown>): number | undefined {
  const code = inner.code ?? inner.status;
  return typeof code === 'number' && code >= 400 && code < 600 ? code : undefined;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function findInChain(error: unknown, test: (error: unknown) => boolean): unknown {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The innermost message of a cause chain, where undici says what really happened. */
function detail(error: unknown): string {
  let message: string | undefined;
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    message = current.message || message;
    current = current.cause;
  }
  return message ?? String(error);
}
