import { AbortedError, MissingCredentialsError, RegError, TimeoutError, durationToMs, errorFromHttpResponse, type ErrorCode } from '@reg/core';

export interface GoogleErrorContext {
  client: string;
  provider: string;
  model: string;
}

interface GoogleStatus {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<Record<string, unknown>>;
}

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Gemini's wording of a prompt longer than the model's window. */
const GOOGLE_CONTEXT_LENGTH = /input token count.*exceeds the maximum|exceeds the maximum number of tokens/i;

/**
 * Everything the SDK, google-auth-library or the transport throws, as a RegError. HTTP errors
 * (the SDK's ApiError: status plus the JSON body as message) go through core's classification,
 * with the google.rpc status name as vendor code and RetryInfo.retryDelay as the wait.
 */
export function mapGoogleError(thrown: unknown, context: GoogleErrorContext): RegError {
  if (RegError.isInstance(thrown)) return thrown;
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const who = `Client '${context.client}' (${context.provider}, model ${context.model})`;
  const base = { client: context.client, provider: context.provider, model: context.model };

  if (error.name === 'ApiError' && typeof (error as { status?: unknown }).status === 'number') {
    return fromApiError(error, (error as unknown as { status: number }).status, who, context);
  }

  const gaxios = tokenEndpointError(error);
  if (gaxios) return fromTokenEndpoint(gaxios, who, context);

  if (/could not load the default credentials|unable to detect a project id/i.test(error.message)) {
    return new MissingCredentialsError({
      client: context.client,
      provider: context.provider,
      model: context.model,
      option: 'credentials (a service-account key), access_token or query_params.key',
      envVariable: 'GOOGLE_APPLICATION_CREDENTIALS',
    });
  }

  const code = causeCode(error);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new TimeoutError({
      ...base,
      timeout: 'connect_timeout_ms',
      retryable: true,
      message: `${who} could not connect within connect_timeout_ms. Check the network or raise options.http.connect_timeout_ms.`,
      cause: error,
    });
  }
  if (error.name === 'AbortError') return new AbortedError({ ...base, cause: error });
  if (
    (code !== undefined && CONNECTION_CODES.has(code)) ||
    (error instanceof TypeError && /fetch failed|terminated|socket|network/i.test(error.message)) ||
    /socket hang up|ECONNRESET|other side closed/i.test(error.message)
  ) {
    return new RegError({
      ...base,
      code: 'connection',
      retryable: true,
      message: `${who} lost its connection to the Google API (${code ?? error.message}). reg retries it; if it persists, check base_url and the network.`,
      cause: error,
    });
  }
  if (error instanceof SyntaxError || /exception parsing stream chunk|Incomplete JSON segment/i.test(error.message)) {
    return new RegError({
      ...base,
      code: 'server',
      retryable: true,
      message: `${who} received a response it could not parse: ${firstLine(error.message)}`,
      cause: error,
    });
  }
  return new RegError({ ...base, code: 'server', message: `${who} failed: ${firstLine(error.message)}`, cause: error });
}

function fromApiError(error: Error, status: number, who: string, context: GoogleErrorContext): RegError {
  const body = parseStatus(error.message);
  const statusName = body?.status;
  const reasons = (body?.details ?? []).map((detail) => (typeof detail.reason === 'string' ? detail.reason : undefined));
  const retryInfo = body?.details?.find((detail) => detail['@type'] === 'type.googleapis.com/google.rpc.RetryInfo');
  const retryAfterMs = durationToMs(retryInfo?.retryDelay);
  const vendorMessage = body?.message ?? firstLine(error.message);
  const message = `${who} got HTTP ${status}${statusName ? ` ${statusName}` : ''}: ${vendorMessage}${advice(status, reasons)}`;
  const mapped = errorFromHttpResponse({
    status,
    message,
    headers: retryAfterMs === undefined ? undefined : { 'retry-after-ms': String(retryAfterMs) },
    vendorCodes: [statusName, ...reasons],
    client: context.client,
    provider: context.provider,
    model: context.model,
    cause: error,
  });
  // Google answers rate limits with "exceeded your current quota ... plan and billing" even when
  // the limit is per minute; RetryInfo says when to come back, so a 429 stays retryable.
  let code: ErrorCode | undefined;
  if (status === 429) code = 'rate_limited';
  else if (reasons.includes('API_KEY_INVALID')) code = 'auth';
  else if (status === 400 && GOOGLE_CONTEXT_LENGTH.test(vendorMessage)) code = 'context_length';
  if (code === undefined || code === mapped.code) return mapped;
  return new RegError({
    code,
    status,
    message,
    retryable: code === 'rate_limited',
    retryAfterMs: mapped.retryAfterMs,
    client: context.client,
    provider: context.provider,
    model: context.model,
    cause: error,
  });
}

function advice(status: number, reasons: Array<string | undefined>): string {
  if (reasons.includes('API_KEY_INVALID')) return ' Check options.api_key (or query_params.key for Vertex AI).';
  if (status === 401) return ' Check the Vertex AI credentials (service-account key, access token or ADC).';
  if (status === 403) return ' Check that the key or service account may use this model and project.';
  if (status === 404) return ' Check the model name, project_id and location.';
  return '';
}

/** The JSON body (unary) or the error object after `got status: X.` (in-band stream error). */
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

interface TokenEndpointFailure {
  status?: number;
  error?: string;
  description?: string;
  code?: string;
}

/** google-auth-library's GaxiosError from the OAuth token exchange. */
function tokenEndpointError(error: Error): TokenEndpointFailure | undefined {
  if (error.name !== 'GaxiosError' && !('response' in error && 'config' in error)) return undefined;
  const response = (error as { response?: { status?: number; data?: unknown } }).response;
  const data = response?.data as { error?: unknown; error_description?: unknown } | undefined;
  return {
    status: response?.status,
    error: typeof data?.error === 'string' ? data.error : undefined,
    description: typeof data?.error_description === 'string' ? data.error_description : undefined,
    code: causeCode(error),
  };
}

function fromTokenEndpoint(failure: TokenEndpointFailure, who: string, context: GoogleErrorContext): RegError {
  const base = { client: context.client, provider: context.provider, model: context.model };
  // The GaxiosError holds the request it made (the signed assertion); only its gist is kept.
  const cause = new Error(`OAuth token request failed: ${failure.status ?? failure.code ?? 'no response'} ${failure.error ?? ''} ${failure.description ?? ''}`.trim());
  if (failure.status === undefined) {
    return new RegError({
      ...base,
      code: 'connection',
      retryable: true,
      message: `${who} could not reach the OAuth token endpoint (${failure.code ?? 'no response'}).`,
      cause,
    });
  }
  const retryable = failure.status >= 500 || failure.status === 429;
  return new RegError({
    ...base,
    code: retryable ? 'server' : 'auth',
    status: failure.status,
    retryable,
    message:
      `${who} could not get an access token: ${failure.error ?? `HTTP ${failure.status}`}${failure.description ? ` (${failure.description})` : ''}. ` +
      (retryable ? 'The token endpoint failed; reg retries it.' : 'Check the service-account key in options.credentials or GOOGLE_APPLICATION_CREDENTIALS.'),
    cause,
  });
}

function causeCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 500) ?? '';
}
