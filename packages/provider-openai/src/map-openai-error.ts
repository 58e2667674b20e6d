import { AbortedError, errorFromHttpResponse, RegError, TimeoutError, type ErrorCode } from '@reg/core';
import OpenAI from 'openai';

/** Who failed, for messages: every provider of this package passes its own names. */
export interface OpenAIErrorContext {
  client: string;
  provider: string;
  model: string;
}

// Socket-level failures (Node and undici codes) that mean "the connection broke", not "the server said no".
const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_ABORTED',
]);
const CONNECT_TIMEOUT_CODE = 'UND_ERR_CONNECT_TIMEOUT';

// In-band stream errors carry no HTTP status; the status their type would have had picks the code.
const IN_BAND_STATUS: Array<[RegExp, number]> = [
  [/insufficient_quota|billing/i, 429],
  [/rate_limit|too_many_requests|^429$/i, 429],
  [/overloaded|unavailable|^503$|^529$/i, 503],
  [/context_length|content_filter|content_policy|invalid_request|^400$/i, 400],
  [/auth|invalid_api_key|^401$/i, 401],
  [/not_found|^404$/i, 404],
];

type ErrorBase = OpenAIErrorContext & { cause: unknown };

/**
 * The one place where what the openai SDK (and the fetch beneath it) throws becomes a RegError:
 * HTTP errors, in-band stream errors, connection failures, timeouts, aborts and unparsable data.
 * Shared by every provider of this package, Chat Completions and Responses alike.
 */
export function mapOpenAIError(error: unknown, context: OpenAIErrorContext): RegError {
  if (RegError.isInstance(error)) return error;
  const who = `Client '${context.client}' (${context.provider}, model ${context.model})`;
  const base: ErrorBase = { client: context.client, provider: context.provider, model: context.model, cause: error };

  if (error instanceof OpenAI.APIUserAbortError) {
    return new AbortedError({ ...base, message: `${who}: the request was aborted.` });
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    if (hasCode(error, CONNECT_TIMEOUT_CODE)) return connectTimeout(who, base);
    return new TimeoutError({
      ...base,
      timeout: 'request_timeout_ms',
      retryable: true,
      message: `${who}: the request timed out before the server answered. Raise options.http.request_timeout_ms if the model needs longer.`,
    });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    if (hasCode(error, CONNECT_TIMEOUT_CODE)) return connectTimeout(who, base);
    return connectionError(who, base, error);
  }
  if (error instanceof OpenAI.APIError) {
    const message = vendorMessage(error);
    const vendorCodes = [error.type, stringCode(error.code), ...nestedCodes(error.error)];
    if (error.status === undefined) return inBandError({ who, base, message, vendorCodes });
    const mapped = errorFromHttpResponse({
      ...base,
      status: error.status,
      headers: error.headers,
      vendorCodes,
      message: `${who} failed with HTTP ${error.status}: ${message}`,
    });
    return withAdvice(mapped, context);
  }
  if (hasCode(error, CONNECT_TIMEOUT_CODE)) return connectTimeout(who, base);
  if (isConnectionFailure(error)) return connectionError(who, base, error);
  if (error instanceof SyntaxError) {
    return new RegError({
      ...base,
      code: 'server',
      retryable: true,
      message: `${who}: the server sent data that is not valid JSON (${error.message}).`,
    });
  }
  return new RegError({
    ...base,
    code: 'server',
    message: `${who} failed: ${error instanceof Error ? error.message : String(error)}`,
  });
}

function connectTimeout(who: string, base: ErrorBase): TimeoutError {
  return new TimeoutError({
    ...base,
    timeout: 'connect_timeout_ms',
    retryable: true,
    message: `${who}: connecting to the server ran past options.http.connect_timeout_ms. Check base_url and the network.`,
  });
}

function connectionError(who: string, base: ErrorBase, error: unknown): RegError {
  const detail = innermostMessage(error);
  return new RegError({
    ...base,
    code: 'connection',
    retryable: true,
    message: `${who}: the connection to the server failed${detail ? ` (${detail})` : ''}. Check base_url and the network.`,
  });
}

function inBandError(input: {
  who: string;
  base: ErrorBase;
  message: string;
  vendorCodes: Array<string | undefined>;
}): RegError {
  const codes = input.vendorCodes.filter((code): code is string => Boolean(code));
  const status = IN_BAND_STATUS.find(([pattern]) => codes.some((code) => pattern.test(code)))?.[1] ?? 500;
  const mapped = errorFromHttpResponse({
    ...input.base,
    status,
    vendorCodes: codes,
    message: `${input.who}: the stream reported an error: ${input.message}`,
  });
  // The status was inferred, not received: keep it off the error so nobody reads it as HTTP.
  return new RegError({
    code: mapped.code,
    retryable: mapped.retryable,
    message: mapped.message,
    ...input.base,
  });
}

function withAdvice(error: RegError, context: OpenAIErrorContext): RegError {
  const text = advice(error.code, context);
  if (!text) return error;
  return new RegError({
    code: error.code,
    status: error.status,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    message: `${error.message} ${text}`,
    client: error.client,
    provider: error.provider,
    model: error.model,
    cause: error.cause,
  });
}

function advice(code: ErrorCode | undefined, context: OpenAIErrorContext): string {
  switch (code) {
    case 'auth':
      return `Check the client's api_key (or its environment variable) and that it may use ${context.model}.`;
    case 'not_found':
      return 'Check the model (or deployment) name and base_url.';
    case 'context_length':
      return 'Shorten the messages or use a model with a larger context window.';
    case 'content_filter':
      return "The vendor's content filter refused the request; rephrase it or use another client.";
    case 'quota':
      return 'The account is out of quota or credits; add billing or use another client.';
    case 'rate_limited':
      return 'The vendor is rate-limiting this key; the registry waits as asked before retrying.';
    default:
      return '';
  }
}

/**
 * The vendor's own words. OpenAI-compatible servers answer with `{error: {message}}`,
 * `{error: "text"}`, `{message}`, `{detail}` (FastAPI, vLLM) or plain text; the SDK keeps the
 * body's `error` field (or the whole body when it has none) in `error.error`.
 */
function vendorMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const fromBody = messageFromBody(error.error);
  if (fromBody) return fromBody;
  // Plain-text bodies end up in the SDK's message, after the status it prefixes.
  const text = error.message.replace(/^\d{3}\s+/, '').trim();
  return text === 'status code (no body)' ? 'no error details in the response' : text;
}

function messageFromBody(body: unknown, depth = 0): string | undefined {
  if (depth > 3 || body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body.trim() || undefined;
  if (typeof body !== 'object') return String(body);
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'error', 'detail', 'msg', 'error_description', 'title']) {
    const value = record[key];
    if (Array.isArray(value)) {
      const parts = value.map((item) => messageFromBody(item, depth + 1)).filter(Boolean);
      if (parts.length) return parts.join('; ');
    } else {
      const found = messageFromBody(value, depth + 1);
      if (found) return found;
    }
  }
  return JSON.stringify(body).slice(0, 500);
}

/** Type and code fields a non-standard body may nest (`metadata`, `error`). */
function nestedCodes(body: unknown): Array<string | undefined> {
  if (typeof body !== 'object' || body === null) return [];
  const record = body as Record<string, unknown>;
  const codes: Array<string | undefined> = [];
  for (const inner of [record.metadata, record.error]) {
    if (typeof inner === 'object' && inner !== null) {
      const fields = inner as Record<string, unknown>;
      codes.push(stringCode(fields.type), stringCode(fields.code));
    }
  }
  return codes;
}

function stringCode(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Walks `cause` links (bounded: causes can cycle) looking for an error code. */
function hasCode(error: unknown, code: string): boolean {
  return causes(error).some((item) => item.code === code || (code === CONNECT_TIMEOUT_CODE && item.name === 'ConnectTimeoutError'));
}

/** fetch's `TypeError: terminated` / `fetch failed`, socket hang up, refused or reset connections. */
function isConnectionFailure(error: unknown): boolean {
  return causes(error).some(
    (item) =>
      (typeof item.code === 'string' && CONNECTION_CODES.has(item.code)) ||
      (item.name === 'TypeError' && (item.message === 'terminated' || item.message === 'fetch failed')) ||
      /socket hang up|other side closed/i.test(item.message ?? ''),
  );
}

function innermostMessage(error: unknown): string | undefined {
  const chain = causes(error);
  // The outermost message is the SDK's generic "Connection error."; the innermost says why.
  return chain.length > 1 ? chain.at(-1)?.message || undefined : undefined;
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
}

function causes(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < 8 && !chain.includes(current as ErrorLike)) {
    chain.push(current as ErrorLike);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
