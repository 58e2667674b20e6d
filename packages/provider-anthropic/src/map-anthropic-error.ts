import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { AbortedError, RegError, TimeoutError, type ErrorCode } from '@reg/core';
import { httpError, inBandError, mapCommonError, transportError, whoFailed, type ErrorContext } from '@reg/provider-utils';
import { API_KEY_ENV } from './anthropic-options.js';

/** The HTTP status the API uses for each error type, so an in-band stream error is classified like the same error sent as a status. */
const STATUS_BY_TYPE: Readonly<Record<string, number>> = {
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

/** What to do, in this provider's option names; the toolkit's advice covers the other codes. */
const ADVICE: Partial<Record<ErrorCode, string>> = {
  auth: `Check options.api_key (or ${API_KEY_ENV}) and that the key may use this model.`,
  not_found: 'Check options.model and options.base_url.',
  context_length: 'Shorten the prompt or lower max_tokens.',
  quota: 'Add credits or raise the spend limit of the Anthropic organization.',
};

/** The one place that turns what the SDK (or the transport under it) threw into a RegError. */
export function mapAnthropicError(error: unknown, context: ErrorContext): RegError {
  if (error instanceof APIUserAbortError) {
    return new AbortedError({ ...fields(context, error), message: `${whoFailed(context)}: the request was aborted.` });
  }
  // The SDK's own timer, or a fetch failure whose words mention a timeout (a connect timeout is
  // thrown in other words by anthropic-transport, so it arrives as a connection error).
  if (error instanceof APIConnectionTimeoutError) {
    return new TimeoutError({ ...fields(context, error), timeout: 'request_timeout_ms', retryable: true, message: `${whoFailed(context)}: the Anthropic SDK timed out waiting for the answer.` });
  }
  if (error instanceof APIConnectionError) {
    // Whatever the cause, the SDK says no answer came: a connection failure, worth another attempt.
    return transportError(error, context) ?? new RegError({ ...fields(context, error), code: 'connection', retryable: true, message: `${whoFailed(context)}: the connection failed (${error.message}). Check base_url and the network.` });
  }
  if (error instanceof APIError) {
    const type = error.type ?? undefined;
    const message = `${type ? `${type}: ` : ''}${error.apiMessage ?? error.message}`;
    const vendorCodes = [type, error.errorCode];
    if (error.status !== undefined) return httpError({ status: error.status, message, headers: error.headers, vendorCodes, context, advice: ADVICE, cause: error });
    // An `error` event inside a 200 stream: no status of its own.
    return inBandError({ status: STATUS_BY_TYPE[type ?? ''] ?? 500, message, vendorCodes, context, advice: ADVICE, cause: error });
  }
  return mapCommonError(error, context);
}

function fields(context: ErrorContext, cause: unknown) {
  return { client: context.client, provider: context.provider, model: context.model, cause };
}
