import { errorFromHttpResponse, readHeader, RegError, TimeoutError, type ErrorCode, type HeaderBag } from '@reg/core';
import { PROVIDER_NAME } from './bedrock-request.js';
import { findConnectTimeout } from './bedrock-transport.js';

export interface BedrockErrorContext {
  client: string;
  model: string;
  region: string;
  /** Credential values to scrub from messages (explicit or from the environment). */
  secrets: readonly string[];
}

interface ExceptionRule {
  code: ErrorCode;
  retryable: boolean;
  /** The status the exception travels with, for in-stream exceptions that have none. */
  status: number;
}

/**
 * What each Bedrock exception means, where its name says more than its status. Validation and
 * not-found errors are left to the status (a 401 is auth whatever the body names), so that the
 * shared classification also finds context-length and quota messages in them.
 */
const EXCEPTIONS: Readonly<Record<string, ExceptionRule>> = {
  ThrottlingException: { code: 'rate_limited', retryable: true, status: 429 },
  ModelNotReadyException: { code: 'overloaded', retryable: true, status: 429 },
  ServiceUnavailableException: { code: 'overloaded', retryable: true, status: 503 },
  InternalServerException: { code: 'server', retryable: true, status: 500 },
  ModelTimeoutException: { code: 'timeout', retryable: true, status: 408 },
  // A model failing mid-stream is usually transient; a model error on a whole request (as the
  // AWS SDK's own retry strategy judges it) is not.
  ModelStreamErrorException: { code: 'server', retryable: true, status: 424 },
  ModelErrorException: { code: 'server', retryable: false, status: 424 },
  ServiceQuotaExceededException: { code: 'quota', retryable: false, status: 400 },
  AccessDeniedException: { code: 'auth', retryable: false, status: 403 },
  UnrecognizedClientException: { code: 'auth', retryable: false, status: 403 },
  InvalidSignatureException: { code: 'auth', retryable: false, status: 403 },
  IncompleteSignatureException: { code: 'auth', retryable: false, status: 400 },
  MissingAuthenticationTokenException: { code: 'auth', retryable: false, status: 403 },
  ExpiredTokenException: { code: 'auth', retryable: false, status: 403 },
  ExpiredToken: { code: 'auth', retryable: false, status: 403 },
};

/** Statuses of exceptions the name alone classifies through the status path. */
const STATUS_BY_NAME: Readonly<Record<string, number>> = {
  ValidationException: 400,
  ResourceNotFoundException: 404,
};

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_HTTP2_ERROR',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const CONNECTION_MESSAGE = /socket hang up|NGHTTP2_|abnormally aborted|did not get a response|ECONNRESET|ECONNREFUSED|premature close|terminated|aborted/i;
/** The event-stream decoder's complaints about frames it cannot read. */
const MALFORMED_MESSAGE = /checksum|prelude|event stream|eventstream|unexpected end of json|is not valid json|unexpected token/i;

const HINTS: Partial<Record<ErrorCode, string>> = {
  auth: 'Check the AWS credentials (access_key_id/secret_access_key/session_token, profile, or the AWS credential chain) and that region names the region they are for.',
  not_found: 'Check the model id (or inference profile) and that the model is enabled in this region.',
  rate_limited: 'Bedrock is throttling this account; retry later or raise the service quota.',
  overloaded: 'The model is not available right now; retry later or fall back to another client.',
  quota: 'The account has reached a Bedrock service quota; raise it in the Service Quotas console.',
  context_length: 'Shorten the conversation or use a model with a larger context window.',
};

/** Turns anything the Bedrock SDK threw (or a stream yielded as an exception) into a RegError. */
export function mapBedrockError(thrown: unknown, context: BedrockErrorContext): RegError {
  if (RegError.isInstance(thrown)) return thrown;
  return mapUnknown(thrown, context).redact(context.secrets);
}

function mapUnknown(thrown: unknown, context: BedrockErrorContext): RegError {
  const base = { client: context.client, provider: PROVIDER_NAME, model: context.model, cause: thrown };
  const where = `Client '${context.client}' (${PROVIDER_NAME}, ${context.model} in ${context.region})`;

  const connectTimeout = findConnectTimeout(thrown);
  if (connectTimeout) {
    return new TimeoutError({ ...base, timeout: 'connect_timeout_ms', retryable: true, message: `${where}: ${connectTimeout.message}` });
  }
  if (!(thrown instanceof Error)) {
    return new RegError({ ...base, code: 'server', retryable: false, message: `${where} failed: ${String(thrown)}` });
  }

  const name = exceptionName(thrown);
  const metadata = (thrown as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
  const rule = EXCEPTIONS[name];
  const status = metadata?.httpStatusCode ?? rule?.status ?? STATUS_BY_NAME[name];
  if (status !== undefined) {
    const headers = (thrown as { $response?: { headers?: HeaderBag } }).$response?.headers;
    const requestId = metadata?.requestId ? ` (request id ${metadata.requestId})` : '';
    const classified = errorFromHttpResponse({ status, message: thrown.message, headers, vendorCodes: [name] });
    const code = rule?.code ?? classified.code;
    const shouldRetry = readHeader(headers, 'x-should-retry');
    const retryable = shouldRetry !== undefined ? classified.retryable : (rule?.retryable ?? classified.retryable);
    const hint = HINTS[code] ? ` ${HINTS[code]}` : '';
    return new RegError({
      ...base,
      code,
      status,
      retryable,
      retryAfterMs: classified.retryAfterMs,
      message: `${where}: ${name} (${status})${requestId}: ${thrown.message}${hint}`,
    });
  }

  if (MALFORMED_MESSAGE.test(thrown.message)) {
    return new RegError({ ...base, code: 'server', retryable: true, message: `${where}: the response stream could not be read: ${thrown.message}` });
  }
  if (isConnectionFailure(thrown)) {
    return new RegError({ ...base, code: 'connection', retryable: true, message: `${where}: the connection to Bedrock failed: ${thrown.message}` });
  }
  return new RegError({ ...base, code: 'server', retryable: false, message: `${where} failed: ${name}: ${thrown.message}` });
}

/**
 * The exception's name: the SDK sets `name` to the modelled exception; a name outside the model
 * (an unmodelled in-stream exception) arrives as a plain Error whose name or message carries it.
 */
function exceptionName(error: Error): string {
  const name = error.name && error.name !== 'Error' ? error.name : ((error as { code?: unknown }).code as string | undefined) ?? error.name;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function isConnectionFailure(error: Error): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (CONNECTION_MESSAGE.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}
