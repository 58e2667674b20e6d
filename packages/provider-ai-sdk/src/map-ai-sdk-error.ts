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
import { AbortedError, MissingCredentialsError, RegError, type ErrorCode } from '@reg/core';
import {
  errorChain,
  errorCodesOf,
  errorMessageOf,
  httpError,
  inBandError,
  isRecord,
  malformedResponseError,
  mapCommonError,
  transportError,
  whoFailed,
  type ErrorContext,
} from '@reg/provider-utils';

export interface AiSdkErrorContext extends ErrorContext {
  /** The AI SDK provider behind the client (`mistral.chat`), for messages. */
  vendor: string;
}

/** Where a connection failure sends the user: the option that holds the URL. */
const ENDPOINT_OPTION = 'base_url (settings.baseURL)';

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

/** Advice naming this provider's options; the toolkit's default advice covers the other codes. */
const ADVICE: Partial<Record<ErrorCode, string>> = {
  auth: 'Check the API key in options.settings (or the environment variable the package reads) and that it may use this model.',
  not_found: 'Check options.model and the base URL in options.settings.',
  context_length: 'Shorten the prompt or lower max_tokens.',
};

/**
 * The one place that turns what an AI SDK language model threw (or put in a stream `error` part)
 * into a RegError: APICallError by its status, headers and body, in-band error payloads by their
 * type, and the SDK's own error classes by what they mean; the rest (aborts, transport failures)
 * as every provider maps them.
 */
export function mapAiSdkError(error: unknown, context: AiSdkErrorContext): RegError {
  if (RegError.isInstance(error)) return error;
  const base = { client: context.client, provider: context.provider, model: context.model, cause: error };
  if (APICallError.isInstance(error)) return mapApiCallError(error, context);
  if (LoadAPIKeyError.isInstance(error)) {
    const missing = new MissingCredentialsError({
      client: context.client,
      provider: context.provider,
      option: 'settings.apiKey',
      envVariable: /\b([A-Z][A-Z0-9_]*) environment variable/.exec(error.message)?.[1],
      model: context.model,
    });
    missing.message = `${missing.message} (${context.vendor}: ${error.message})`;
    return missing;
  }
  if (LoadSettingError.isInstance(error)) {
    return new RegError({ ...base, code: 'config', message: `${whoFailed(context)} is missing a setting: ${error.message} Set it in options.settings.` });
  }
  if (NoSuchModelError.isInstance(error)) {
    return new RegError({ ...base, code: 'not_found', message: `${whoFailed(context)}: ${context.vendor} has no model '${context.model}'. Check options.model.` });
  }
  if (InvalidPromptError.isInstance(error) || UnsupportedFunctionalityError.isInstance(error) || InvalidArgumentError.isInstance(error)) {
    return new RegError({ ...base, code: 'invalid_request', message: `${whoFailed(context)}: ${context.vendor} cannot take this request: ${error.message}` });
  }
  if (isMalformedData(error)) return malformedResponseError(context, error);
  if (NoContentGeneratedError.isInstance(error)) {
    return new RegError({ ...base, code: 'server', retryable: true, message: `${whoFailed(context)}: ${context.vendor} generated no content. Retry the call.` });
  }
  if (!(error instanceof Error) && isRecord(error)) return mapInBandError(error, context);
  // Next.js aborts with a name of its own, which the AI SDK counts as an abort too.
  if (error instanceof Error && error.name === 'ResponseAborted') return new AbortedError({ ...base, message: `${whoFailed(context)}: the request was aborted.` });
  return mapCommonError(error, { ...context, endpointOption: ENDPOINT_OPTION });
}

function mapApiCallError(error: APICallError, context: AiSdkErrorContext): RegError {
  const status = error.statusCode;
  if (status !== undefined && status >= 400) {
    return httpError({
      status,
      message: `${context.vendor}: ${error.message}`,
      headers: error.responseHeaders,
      vendorCodes: errorCodesOf(parseJson(error.responseBody) ?? error.data),
      context,
      advice: ADVICE,
      cause: error,
    });
  }
  // No error status: the request never got an answer, or a 2xx body broke while being read.
  const transport = transportError(error, { ...context, endpointOption: ENDPOINT_OPTION });
  if (transport) return transport;
  if (errorChain(error.cause).some(isMalformedData)) return malformedResponseError(context, error);
  const detail = errorChain(error).at(-1)?.message || error.message;
  return new RegError({
    client: context.client,
    provider: context.provider,
    model: context.model,
    cause: error,
    code: error.isRetryable ? 'connection' : 'server',
    retryable: error.isRetryable,
    message: `${whoFailed(context)} failed: ${detail}.${error.isRetryable ? ' It may be retried.' : ''}`,
  });
}

/** A stream `error` part whose payload is the vendor's error object (`{ message, type, code }` or `{ error: {...} }`). */
function mapInBandError(payload: Record<string, unknown>, context: AiSdkErrorContext): RegError {
  const codes = errorCodesOf(payload);
  const inner = isRecord(payload.error) ? payload.error : payload;
  const status = codes.map((code) => STATUS_BY_TYPE[code.toLowerCase()]).find((found) => found !== undefined) ?? numericStatus(inner) ?? 500;
  const type = codes[0] === undefined ? '' : ` (${codes[0]})`;
  return inBandError({ status, message: `${context.vendor}${type}: ${errorMessageOf(payload)}`, vendorCodes: codes, context, advice: ADVICE, cause: payload });
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
