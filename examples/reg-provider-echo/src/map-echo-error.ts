import { AbortedError, errorFromHttpResponse, RegError, TimeoutError } from '@reg/core';
import type { Response } from 'undici';
import { API_KEY_ENV, PROVIDER_NAME } from './echo-options.js';

/** Who failed, for messages and the error's fields. */
export interface EchoErrorContext {
  client: string;
  model: string;
}

// Socket-level failures (Node and undici codes): the connection broke, the server did not say no.
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

// In-band stream errors have no HTTP status; the status their type would have had picks the code.
const IN_BAND_STATUS: Array<[RegExp, number]> = [
  [/insufficient_quota/i, 429],
  [/rate_limit/i, 429],
  [/overloaded|unavailable/i, 503],
  [/invalid_request|context_length|content_filter/i, 400],
  [/auth|invalid_api_key/i, 401],
];

/**
 * The one place where what fetch throws becomes a RegError: connect timeouts, broken
 * connections, aborts and unparsable JSON. HTTP and in-band errors have their own entry points
 * below, because they arrive as data rather than as exceptions.
 */
export function mapEchoError(error: unknown, context: EchoErrorContext): RegError {
  if (RegError.isInstance(error)) return error;
  const who = whoFailed(context);
  const base = { client: context.client, provider: PROVIDER_NAME, model: context.model, cause: error };
  const chain = causes(error);
  if (chain.some((item) => item.name === 'AbortError')) return new AbortedError({ ...base, message: `${who}: the request was aborted.` });
  if (chain.some((item) => item.code === 'UND_ERR_CONNECT_TIMEOUT')) {
    return new TimeoutError({
      ...base,
      timeout: 'connect_timeout_ms',
      retryable: true,
      message: `${who}: connecting to the server ran past options.http.connect_timeout_ms. Check base_url and the network.`,
    });
  }
  const broken = chain.some(
    (item) =>
      (typeof item.code === 'string' && CONNECTION_CODES.has(item.code)) ||
      (item.name === 'TypeError' && (item.message === 'terminated' || item.message === 'fetch failed')) ||
      /socket hang up|other side closed/i.test(item.message ?? ''),
  );
  if (broken) {
    const detail = chain.length > 1 ? chain.at(-1)?.message : undefined;
    return new RegError({
      ...base,
      code: 'connection',
      retryable: true,
      message: `${who}: the connection to the server failed${detail ? ` (${detail})` : ''}. Check base_url and the network.`,
    });
  }
  if (error instanceof SyntaxError) return malformedData(context, error);
  return new RegError({ ...base, code: 'server', message: `${who} failed: ${error instanceof Error ? error.message : String(error)}` });
}

/** A non-2xx response: the vendor's message and type go to core's shared classification. */
export async function httpError(response: Response, context: EchoErrorContext): Promise<RegError> {
  const text = await response.text().catch(() => '');
  const { message, codes } = readErrorBody(text);
  const advice = response.status === 401 || response.status === 403
    ? ` Check options.api_key (or ${API_KEY_ENV}).`
    : response.status === 404
      ? ' Check the model name and base_url.'
      : '';
  return errorFromHttpResponse({
    status: response.status,
    headers: Object.fromEntries(response.headers),
    vendorCodes: codes,
    message: `${whoFailed(context)} failed with HTTP ${response.status}: ${(message || response.statusText || 'no details').replace(/\.$/, '')}.${advice}`,
    client: context.client,
    provider: PROVIDER_NAME,
    model: context.model,
  });
}

/** `data: {"error": {...}}` inside a stream that already answered 200. */
export function inBandError(error: unknown, context: EchoErrorContext): RegError {
  const { message, codes } = readErrorBody(JSON.stringify({ error }));
  const status = IN_BAND_STATUS.find(([pattern]) => codes.some((code) => pattern.test(code)))?.[1] ?? 500;
  const mapped = errorFromHttpResponse({ status, vendorCodes: codes, message: `${whoFailed(context)}: the stream reported an error: ${message}` });
  // The status was inferred, not received, so it stays off the error.
  return new RegError({
    code: mapped.code,
    retryable: mapped.retryable,
    message: mapped.message,
    client: context.client,
    provider: PROVIDER_NAME,
    model: context.model,
  });
}

/** Stream or body data that is not the JSON it should be: a server fault, worth another attempt. */
export function malformedData(context: EchoErrorContext, cause: unknown): RegError {
  return new RegError({
    code: 'server',
    retryable: true,
    message: `${whoFailed(context)}: the server sent data that is not valid JSON.`,
    client: context.client,
    provider: PROVIDER_NAME,
    model: context.model,
    cause,
  });
}

/** A stream that ended before the server said it was done (no finish reason, no [DONE]). */
export function truncatedStream(context: EchoErrorContext): RegError {
  return new RegError({
    code: 'connection',
    retryable: true,
    message: `${whoFailed(context)}: the stream ended before the answer was complete.`,
    client: context.client,
    provider: PROVIDER_NAME,
    model: context.model,
  });
}

function whoFailed(context: EchoErrorContext): string {
  return `Client '${context.client}' (${PROVIDER_NAME}, model ${context.model})`;
}

/** OpenAI-compatible servers answer `{error: {message, type, code}}`, `{error: "text"}`, `{detail}` or plain text. */
function readErrorBody(text: string): { message: string; codes: string[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { message: text.trim().slice(0, 500), codes: [] };
  }
  const record = isRecord(body) ? body : {};
  const error = isRecord(record.error) ? record.error : record;
  const message = [error.message, record.error, record.detail].find((value): value is string => typeof value === 'string') ?? text.slice(0, 500);
  const codes = [error.type, error.code].filter((value) => typeof value === 'string' || typeof value === 'number').map(String);
  return { message, codes };
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
}

/** The error and its causes, bounded: cause chains can cycle. */
function causes(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let current = error; typeof current === 'object' && current !== null && chain.length < 8; current = (current as { cause?: unknown }).cause) {
    if (chain.includes(current as ErrorLike)) break;
    chain.push(current as ErrorLike);
  }
  return chain;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
