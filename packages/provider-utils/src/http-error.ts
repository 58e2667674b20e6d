import { RegError, type ErrorCode } from '@reg/core';

export type HeaderBag = Headers | Record<string, string | string[] | undefined | null> | undefined;

export interface HttpErrorInput {
  status: number;
  message: string;
  headers?: HeaderBag;
  /** The vendor's error type/code strings (`insufficient_quota`, `overloaded_error`, ...). */
  vendorCodes?: Array<string | undefined | null>;
  /**
   * The vendor's own reading, where it knows better than the status (an exception table, a 429
   * that is a rate limit although it mentions billing). `retryable` defaults to the status's rule
   * for that code; `x-should-retry` still wins.
   */
  vendorRule?: { code: ErrorCode; retryable?: boolean };
  client?: string;
  provider?: string;
  model?: string;
  cause?: unknown;
}

const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504, 529]);
const CONTEXT_LENGTH = /context[_ ]length|maximum context|context window|prompt is too long|input is too long|too many (input )?tokens|reduce the length|exceeds the maximum number of tokens/i;
const CONTENT_FILTER = /content[_ ]?(policy|filter|management)|responsible ?ai|safety (system|filter)/i;
const QUOTA = /insufficient_quota|billing|spend(ing)? limit|credit balance|exceeded your current quota.*(plan|billing)/i;

/**
 * Vendor-neutral HTTP classification, shared by every provider's error mapping: the code, whether
 * the same client may retry, and the wait the vendor asked for. `x-should-retry` wins.
 */
export function errorFromHttpResponse(input: HttpErrorInput): RegError {
  const text = [input.message, ...(input.vendorCodes ?? [])].filter(Boolean).join(' ');
  const code = input.vendorRule?.code ?? codeForStatus(input.status, text);
  let retryable = input.vendorRule?.retryable ?? (RETRYABLE_STATUS.has(input.status) && code !== 'quota');
  const shouldRetry = readHeader(input.headers, 'x-should-retry');
  if (shouldRetry === 'true') retryable = code !== 'quota';
  if (shouldRetry === 'false') retryable = false;
  return new RegError({
    code,
    status: input.status,
    message: input.message,
    retryable,
    retryAfterMs: retryAfterMs(input.headers),
    client: input.client,
    provider: input.provider,
    model: input.model,
    cause: input.cause,
  });
}

function codeForStatus(status: number, text: string): ErrorCode {
  if (QUOTA.test(text) && (status === 429 || status === 403 || status === 402 || status === 400)) return 'quota';
  if (CONTENT_FILTER.test(text) && status >= 400 && status < 500) return 'content_filter';
  if (CONTEXT_LENGTH.test(text) && (status === 400 || status === 413 || status === 422)) return 'context_length';
  switch (status) {
    case 400:
    case 413:
    case 422:
      return 'invalid_request';
    case 401:
    case 403:
      return 'auth';
    case 404:
      return 'not_found';
    case 408:
    case 504:
      return 'timeout';
    case 429:
      return 'rate_limited';
    case 503:
    case 529:
      return 'overloaded';
    default:
      return status >= 500 || status === 409 ? 'server' : 'invalid_request';
  }
}

/** `retry-after-ms` (milliseconds), else `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: HeaderBag, now: number = Date.now()): number | undefined {
  const milliseconds = readHeader(headers, 'retry-after-ms');
  if (milliseconds !== undefined) {
    const value = Number.parseFloat(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const retryAfter = readHeader(headers, 'retry-after');
  if (retryAfter === undefined) return undefined;
  const seconds = Number(retryAfter);
  if (retryAfter.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A google.protobuf.Duration as JSON (`"1.5s"`), e.g. Gemini's `RetryInfo.retryDelay`, in ms. */
export function durationToMs(duration: unknown): number | undefined {
  if (typeof duration !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(duration.trim());
  return match ? Math.ceil(Number(match[1]) * 1000) : undefined;
}

export function readHeader(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined | null>;
  const value = bag[name] ?? bag[Object.keys(bag).find((key) => key.toLowerCase() === name) ?? ''];
  return Array.isArray(value) ? value[0] : (value ?? undefined);
}
