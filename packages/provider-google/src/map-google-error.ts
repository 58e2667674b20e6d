import { MissingCredentialsError, RegError, type ErrorCode } from '@reg/core';
import {
  classifyTransportFailure,
  durationToMs,
  errorFromHttpResponse,
  malformedResponseError,
  mapCommonError,
  UnsupportedPartError,
  whoFailed,
  withAdvice,
  type ErrorContext,
} from '@reg/provider-utils';

/** Who failed, and what each provider tells its users to check (its own option names). */
export interface GoogleErrorContext extends ErrorContext {
  advice: Partial<Record<ErrorCode, string>>;
}

export const GOOGLE_AI_ADVICE: Partial<Record<ErrorCode, string>> = {
  auth: 'Check options.api_key (or GOOGLE_API_KEY, GEMINI_API_KEY) and that the key may use this model.',
};

export const VERTEX_AI_ADVICE: Partial<Record<ErrorCode, string>> = {
  auth: 'Check the Vertex AI credentials (credentials, access_token, query_params.key or ADC) and that they may use this model and project.',
  not_found: 'Check the model name, project_id and location.',
};

/** A google.rpc.Status, as the API's error bodies carry it. */
interface GoogleStatus {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<Record<string, unknown>>;
}

/** Gemini's wording of a prompt longer than the model's window. */
const GOOGLE_CONTEXT_LENGTH = /input token count.*exceeds the maximum|exceeds the maximum number of tokens/i;

/** What the SDK says when a stream's data does not parse. */
const SDK_STREAM_PARSE = /exception parsing stream chunk|Incomplete JSON segment/i;

/** google-auth-library, when Application Default Credentials find nothing. */
const NO_DEFAULT_CREDENTIALS = /could not load the default credentials|unable to detect a project id/i;

/**
 * Everything a call throws, as a RegError: a user part the API cannot take (found before any
 * request), the SDK's ApiError (status plus the JSON body as message, for HTTP errors and for
 * errors inside a stream), the token endpoint's GaxiosError, ADC finding nothing, and the SDK's
 * stream-parsing errors; the rest is the toolkit's.
 */
export function mapGoogleError(thrown: unknown, context: GoogleErrorContext): RegError {
  // A RegError as it is, a part refused before any request, and what is not an Error: the toolkit's.
  if (RegError.isInstance(thrown) || !(thrown instanceof Error) || thrown instanceof UnsupportedPartError) return mapCommonError(thrown, context);
  if (thrown.name === 'ApiError' && typeof (thrown as { status?: unknown }).status === 'number') {
    return fromApiError(thrown, (thrown as unknown as { status: number }).status, context);
  }
  if (thrown.name === 'GaxiosError' || ('response' in thrown && 'config' in thrown)) return fromTokenEndpoint(thrown, context);
  if (NO_DEFAULT_CREDENTIALS.test(thrown.message)) {
    return new MissingCredentialsError({
      client: context.client,
      provider: context.provider,
      model: context.model,
      option: 'credentials (a service-account key), access_token or query_params.key',
      envVariable: 'GOOGLE_APPLICATION_CREDENTIALS',
    });
  }
  if (SDK_STREAM_PARSE.test(thrown.message)) return malformedResponseError(context, thrown);
  return mapCommonError(thrown, context);
}

/**
 * Core's classification, with the google.rpc status name and reasons as vendor codes and
 * RetryInfo.retryDelay as the wait, and three rules of Google's own.
 */
function fromApiError(error: Error, status: number, context: GoogleErrorContext): RegError {
  const body = parseStatus(error.message);
  const statusName = body?.status;
  const reasons = (body?.details ?? []).map((detail) => (typeof detail.reason === 'string' ? detail.reason : undefined));
  const retryInfo = body?.details?.find((detail) => detail['@type'] === 'type.googleapis.com/google.rpc.RetryInfo');
  const retryAfterMs = durationToMs(retryInfo?.retryDelay);
  const vendorMessage = body?.message ?? firstLine(error.message);
  // Google answers rate limits with "exceeded your current quota ... plan and billing" even when
  // the limit is per minute; RetryInfo says when to come back, so a 429 stays retryable.
  let code: ErrorCode | undefined;
  if (status === 429) code = 'rate_limited';
  else if (reasons.includes('API_KEY_INVALID')) code = 'auth';
  else if (status === 400 && GOOGLE_CONTEXT_LENGTH.test(vendorMessage)) code = 'context_length';
  const mapped = errorFromHttpResponse({
    client: context.client,
    provider: context.provider,
    model: context.model,
    cause: error,
    status,
    message: `${whoFailed(context)} failed with HTTP ${status}${statusName ? ` ${statusName}` : ''}: ${vendorMessage}`,
    headers: retryAfterMs === undefined ? undefined : { 'retry-after-ms': String(retryAfterMs) },
    vendorCodes: [statusName, ...reasons],
    ...(code ? { vendorRule: { code } } : {}),
  });
  return withAdvice(mapped, context.advice);
}

/** The JSON body (unary) or the error object after `got status: X.` (an error inside a stream). */
function parseStatus(message: string): GoogleStatus | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const parsed = JSON.parse(message.slice(start)) as { error?: GoogleStatus };
    return typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

/** google-auth-library's GaxiosError from the OAuth token exchange. */
function fromTokenEndpoint(error: Error, context: GoogleErrorContext): RegError {
  const response = (error as { response?: { status?: number; data?: unknown } }).response;
  const data = response?.data as { error?: unknown; error_description?: unknown } | undefined;
  const status = response?.status;
  const reason = typeof data?.error === 'string' ? data.error : undefined;
  const description = typeof data?.error_description === 'string' ? data.error_description : undefined;
  const transportCode = status === undefined ? classifyTransportFailure(error)?.code : undefined;
  const base = { client: context.client, provider: context.provider, model: context.model };
  // The GaxiosError holds the request it made (the signed assertion); only its gist is kept.
  const cause = new Error(`OAuth token request failed: ${status ?? transportCode ?? 'no response'} ${reason ?? ''} ${description ?? ''}`.trim());
  if (status === undefined) {
    return new RegError({
      ...base,
      code: 'connection',
      retryable: true,
      message: `${whoFailed(context)} could not reach the OAuth token endpoint (${transportCode ?? 'no response'}).`,
      cause,
    });
  }
  const retryable = status >= 500 || status === 429;
  return new RegError({
    ...base,
    code: retryable ? 'server' : 'auth',
    status,
    retryable,
    message:
      `${whoFailed(context)} could not get an access token: ${reason ?? `HTTP ${status}`}${description ? ` (${description})` : ''}. ` +
      (retryable ? 'The token endpoint failed; reg retries it.' : 'Check the service-account key in options.credentials or GOOGLE_APPLICATION_CREDENTIALS.'),
    cause,
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 500) ?? '';
}
