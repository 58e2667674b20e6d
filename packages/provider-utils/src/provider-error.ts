import { AbortedError, RegError, type ErrorCode } from '@reg/core';
import { errorFromHttpResponse, type HeaderBag } from './http-error.js';
import { errorChain, transportError } from './transport-failure.js';

/** Who failed, for every message and every RegError's fields. */
export interface ErrorContext {
  client: string;
  provider: string;
  model: string;
}

/** `Client 'Fast' (openai, model gpt-4o-mini)`: how every provider's messages name who failed. */
export function whoFailed(context: ErrorContext): string {
  return `Client '${context.client}' (${context.provider}, model ${context.model})`;
}

/**
 * What to do about each kind of failure, appended to messages. A provider passes its own where it
 * knows better (its option and variable names); these say it for any vendor.
 */
export const DEFAULT_ADVICE: Readonly<Partial<Record<ErrorCode, string>>> = Object.freeze({
  auth: "Check the client's api_key (or its environment variable) and that it may use this model.",
  not_found: 'Check the model name and base_url.',
  context_length: 'Shorten the messages or use a model with a larger context window.',
  content_filter: "The vendor's content filter refused the request; rephrase it or use another client.",
  quota: 'The account is out of quota or credits; add billing or use another client.',
  rate_limited: 'The vendor is rate-limiting this key; the registry waits as asked before retrying.',
  overloaded: 'The vendor is overloaded; retry later or fall back to another client.',
});

/** Appends the advice for the error's code (the provider's own, else the default) to its message. */
export function withAdvice(error: RegError, advice: Partial<Record<ErrorCode, string>> = DEFAULT_ADVICE): RegError {
  const text = advice[error.code] ?? DEFAULT_ADVICE[error.code];
  if (text) error.message = `${error.message} ${text}`;
  return error;
}

/**
 * A vendor's HTTP error answer as a RegError: core's status classification with the vendor's
 * words and codes, the client named, and advice appended.
 */
export function httpError(input: {
  status: number;
  /** The vendor's own words (see `errorMessageOf`). */
  message: string;
  headers?: HeaderBag;
  vendorCodes?: Array<string | undefined | null>;
  /** The vendor's own reading where the status cannot tell (see `errorFromHttpResponse`). */
  vendorRule?: { code: ErrorCode; retryable?: boolean };
  context: ErrorContext;
  advice?: Partial<Record<ErrorCode, string>>;
  cause?: unknown;
}): RegError {
  const { context } = input;
  const error = errorFromHttpResponse({
    status: input.status,
    headers: input.headers,
    vendorCodes: input.vendorCodes,
    vendorRule: input.vendorRule,
    message: `${whoFailed(context)} failed with HTTP ${input.status}: ${input.message}`,
    client: context.client,
    provider: context.provider,
    model: context.model,
    cause: input.cause,
  });
  return withAdvice(error, input.advice);
}

/**
 * An error the vendor reported inside a stream that had already answered 200. It has no HTTP
 * status; `status` is the one the vendor would have sent for the same error (its type says which),
 * so it is classified the same way, and then left off the error so nobody reads it as received.
 */
export function inBandError(input: {
  status: number;
  message: string;
  vendorCodes?: Array<string | undefined | null>;
  context: ErrorContext;
  advice?: Partial<Record<ErrorCode, string>>;
  cause?: unknown;
}): RegError {
  const { context } = input;
  const classified = errorFromHttpResponse({ status: input.status, vendorCodes: input.vendorCodes, message: input.message });
  const error = new RegError({
    code: classified.code,
    retryable: classified.retryable,
    message: `${whoFailed(context)}: the stream reported an error: ${input.message}`,
    client: context.client,
    provider: context.provider,
    model: context.model,
    cause: input.cause,
  });
  return withAdvice(error, input.advice);
}

/**
 * A part of a request the vendor cannot take (a file type it refuses, a file over its limit),
 * found while building the request, before anything is sent. Message conversion has no call
 * context, so it throws this; `mapCommonError` turns it into `invalid_request` naming the client.
 * `at` says where the part sits, for the converter that knows the indexes.
 */
export class UnsupportedPartError extends Error {
  override readonly name = 'UnsupportedPartError';

  /** The same refusal, saying where the part sits: `messages[1].content[2] is a file of type ...`. */
  at(index: number, position: number): UnsupportedPartError {
    return new UnsupportedPartError(`messages[${index}].content[${position}] ${this.message}`);
  }
}

/** Data the vendor sent that cannot be read (broken JSON, a bad frame): a server fault, worth another attempt. */
export function malformedResponseError(context: ErrorContext, cause: unknown): RegError {
  const detail = cause instanceof Error ? ` (${firstLine(cause.message)})` : '';
  return new RegError({
    code: 'server',
    retryable: true,
    message: `${whoFailed(context)}: the server sent data that could not be read${detail}.`,
    client: context.client,
    provider: context.provider,
    model: context.model,
    cause,
  });
}

/**
 * The common end of every map-<vendor>-error.ts, after the vendor's own classes: a RegError as it
 * is, a part the vendor cannot take (`invalid_request`), the caller's abort, a transport failure,
 * unreadable data, else a `server` error that is not retried (nothing says another attempt would
 * go better).
 */
export function mapCommonError(error: unknown, context: ErrorContext & { endpointOption?: string }): RegError {
  if (RegError.isInstance(error)) return error;
  const base = { client: context.client, provider: context.provider, model: context.model, cause: error };
  if (error instanceof UnsupportedPartError) {
    return new RegError({ ...base, cause: undefined, code: 'invalid_request', message: `${whoFailed(context)} cannot send the request: ${error.message}` });
  }
  if (errorChain(error).some((item) => item.name === 'AbortError')) return new AbortedError({ ...base, message: `${whoFailed(context)}: the request was aborted.` });
  const transport = transportError(error, context);
  if (transport) return transport;
  if (error instanceof SyntaxError) return malformedResponseError(context, error);
  const detail = error instanceof Error ? `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${firstLine(error.message)}` : String(error);
  return new RegError({ ...base, code: 'server', message: `${whoFailed(context)} failed: ${detail}` });
}

/**
 * The vendor's own words in an error body of any common shape: `{error: {message}}`,
 * `{error: "text"}`, `{message}`, `{detail}` (FastAPI, vLLM), lists of those, or plain text.
 */
export function errorMessageOf(body: unknown, depth = 0): string | undefined {
  if (depth > 3 || body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body.trim() || undefined;
  if (typeof body !== 'object') return String(body);
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'error', 'detail', 'msg', 'error_description', 'title']) {
    const value = record[key];
    if (Array.isArray(value)) {
      const parts = value.map((item) => errorMessageOf(item, depth + 1)).filter(Boolean);
      if (parts.length) return parts.join('; ');
    } else {
      const found = errorMessageOf(value, depth + 1);
      if (found) return found;
    }
  }
  return JSON.stringify(body).slice(0, 500);
}

/**
 * The vendor's error type and code strings in a body: `{error: {type, code, status}}`,
 * `{type, code}`, `{error: "code"}`, and those nested in `metadata`.
 */
export function errorCodesOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const record = body as Record<string, unknown>;
  const inner = isObject(record.error) ? record.error : record;
  const codes = [inner.type, inner.code, inner.status, typeof record.error === 'string' ? record.error : undefined];
  if (isObject(record.metadata)) codes.push(record.metadata.type, record.metadata.code);
  return codes.map((code) => (typeof code === 'number' ? String(code) : code)).filter((code): code is string => typeof code === 'string' && code !== '');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 500) ?? '';
}
