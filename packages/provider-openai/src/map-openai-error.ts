import { AbortedError, RegError, TimeoutError, type ErrorCode } from '@reg/core';
import { errorCodesOf, errorMessageOf, httpError, inBandError, mapCommonError, transportError, whoFailed, type ErrorContext } from '@reg/provider-utils';
import OpenAI from 'openai';

/** Who failed, for messages: every provider of this package passes its own names. */
export type OpenAIErrorContext = ErrorContext;

/** In-band stream errors carry no HTTP status; the status their type would have had picks the code. */
const IN_BAND_STATUS: ReadonlyArray<readonly [RegExp, number]> = [
  [/insufficient_quota|billing/i, 429],
  [/rate_limit|too_many_requests|^429$/i, 429],
  [/overloaded|unavailable|^503$|^529$/i, 503],
  [/context_length|content_filter|content_policy|invalid_request|^400$/i, 400],
  [/auth|invalid_api_key|^401$/i, 401],
  [/not_found|^404$/i, 404],
];

/** Advice where this package knows better than the toolkit's: Azure addresses deployments. */
const ADVICE: Partial<Record<ErrorCode, string>> = {
  not_found: 'Check the model (or deployment) name and base_url.',
};

/**
 * The one place where what the openai SDK throws becomes a RegError: its error classes (HTTP
 * errors, in-band stream errors, its connection and timeout errors, the caller's abort), then the
 * toolkit's common mapping. Shared by every provider of this package, Chat Completions and
 * Responses alike.
 */
export function mapOpenAIError(error: unknown, context: OpenAIErrorContext): RegError {
  if (error instanceof OpenAI.APIUserAbortError) {
    return new AbortedError({ ...fields(context, error), message: `${whoFailed(context)}: the request was aborted.` });
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    // The SDK says "timeout" both for its own timer and for undici's connect timeout.
    return (
      transportError(error, context) ??
      new TimeoutError({
        ...fields(context, error),
        timeout: 'request_timeout_ms',
        retryable: true,
        message: `${whoFailed(context)}: the request timed out before the server answered. Raise options.http.request_timeout_ms if the model needs longer.`,
      })
    );
  }
  if (error instanceof OpenAI.APIConnectionError) {
    // The SDK found no answer at all; the cause says why, when it is one the toolkit knows.
    return (
      transportError(error, context) ??
      new RegError({ ...fields(context, error), code: 'connection', retryable: true, message: `${whoFailed(context)}: the connection to the server failed. Check base_url and the network.` })
    );
  }
  if (error instanceof OpenAI.APIError) {
    const message = vendorMessage(error);
    const vendorCodes = [error.type, codeText(error.code), ...errorCodesOf(error.error)];
    if (error.status === undefined) {
      const codes = vendorCodes.filter((code): code is string => Boolean(code));
      const status = IN_BAND_STATUS.find(([pattern]) => codes.some((code) => pattern.test(code)))?.[1] ?? 500;
      return inBandError({ status, message, vendorCodes: codes, context, advice: ADVICE, cause: error });
    }
    return httpError({ status: error.status, message, headers: error.headers, vendorCodes, context, advice: ADVICE, cause: error });
  }
  return mapCommonError(error, context);
}

function fields(context: OpenAIErrorContext, cause: unknown): { client: string; provider: string; model: string; cause: unknown } {
  return { client: context.client, provider: context.provider, model: context.model, cause };
}

/**
 * The vendor's own words. The SDK keeps the body's `error` field (or the whole body when it has
 * none) in `error.error`; plain-text bodies end up in its message, after the status it prefixes.
 */
function vendorMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const fromBody = errorMessageOf(error.error);
  if (fromBody) return fromBody;
  const text = error.message.replace(/^\d{3}\s+/, '').trim();
  return text === 'status code (no body)' ? 'no error details in the response' : text;
}

function codeText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
