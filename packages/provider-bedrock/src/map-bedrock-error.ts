import { RegError, type ErrorCode } from '@reg/core';
import { errorFromHttpResponse, malformedResponseError, mapCommonError, whoFailed, withAdvice, type ErrorContext, type HeaderBag } from '@reg/provider-utils';

export interface BedrockErrorContext extends ErrorContext {
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

/** The SDK's event-stream decoder's complaints about frames it cannot read (broken JSON is a SyntaxError, which the toolkit knows). */
const MALFORMED_MESSAGE = /checksum|prelude|event stream|eventstream|message length/i;

/**
 * The SDK's own words, with no code, for a response that ended early: its HTTP/2 handler's for a
 * stream aborted under it, its event-stream decoder's for a stream that ended inside a frame.
 */
const CLOSED_EARLY_MESSAGE = /abnormally aborted|truncated event message/i;

/** Bedrock's advice, naming its options; the toolkit's covers the other codes. */
const ADVICE: Partial<Record<ErrorCode, string>> = {
  auth: 'Check the AWS credentials (access_key_id/secret_access_key/session_token, profile, or the AWS credential chain) and that region names the region they are for.',
  not_found: 'Check the model id (or inference profile) and that the model is enabled in this region.',
  rate_limited: 'Bedrock is throttling this account; retry later or raise the service quota.',
  overloaded: 'The model is not available right now; retry later or fall back to another client.',
  quota: 'The account has reached a Bedrock service quota; raise it in the Service Quotas console.',
};

/** Turns anything the Bedrock SDK threw (or a stream yielded as an exception) into a RegError, without credentials. */
export function mapBedrockError(thrown: unknown, context: BedrockErrorContext): RegError {
  if (RegError.isInstance(thrown)) return thrown;
  return mapThrown(thrown, context).redact(context.secrets);
}

function mapThrown(thrown: unknown, context: BedrockErrorContext): RegError {
  if (thrown instanceof Error) {
    const name = exceptionName(thrown);
    const metadata = (thrown as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
    const rule = EXCEPTIONS[name];
    // The SDK marks every failure after a response with its status: a 200 whose body or event
    // stream could not be read, or an exception event in a 200 stream, is no HTTP error.
    const httpStatus = metadata?.httpStatusCode !== undefined && metadata.httpStatusCode >= 400 ? metadata.httpStatusCode : undefined;
    const status = httpStatus ?? rule?.status ?? STATUS_BY_NAME[name];
    if (status !== undefined) return exceptionError({ error: thrown, name, status, rule, requestId: metadata?.requestId, context });
    if (MALFORMED_MESSAGE.test(thrown.message)) return malformedResponseError(context, thrown);
    if (CLOSED_EARLY_MESSAGE.test(thrown.message)) {
      return new RegError({
        ...who(context),
        code: 'connection',
        retryable: true,
        cause: thrown,
        message: `${whoFailed(context)}: the connection closed before the answer was complete (${thrown.message.replace(/\.$/, '')}). Check endpoint_url and the network.`,
      });
    }
  }
  return mapCommonError(thrown, { ...context, endpointOption: 'endpoint_url' });
}

/** A Bedrock exception, with an HTTP status or the one its name travels with. */
function exceptionError(input: { error: Error; name: string; status: number; rule: ExceptionRule | undefined; requestId: string | undefined; context: BedrockErrorContext }): RegError {
  const { error, name, status, rule, context } = input;
  const headers = (error as { $response?: { headers?: HeaderBag } }).$response?.headers;
  const requestId = input.requestId ? `, request id ${input.requestId}` : '';
  // The exception table wins over the status; `x-should-retry` wins over both.
  const mapped = errorFromHttpResponse({
    ...who(context),
    status,
    headers,
    vendorCodes: [name],
    ...(rule ? { vendorRule: { code: rule.code, retryable: rule.retryable } } : {}),
    cause: error,
    message: `${whoFailed(context)} in ${context.region}: ${name} (${status}${requestId}): ${error.message}`,
  });
  return withAdvice(mapped, ADVICE);
}

/**
 * The exception's name: the SDK sets `name` to the modelled exception; a name outside the model
 * (an unmodelled in-stream exception) arrives as a plain Error whose name or code carries it.
 */
function exceptionName(error: Error): string {
  const code = (error as { code?: unknown }).code;
  const name = error.name && error.name !== 'Error' ? error.name : typeof code === 'string' ? code : error.name;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function who(context: ErrorContext): ErrorContext {
  return { client: context.client, provider: context.provider, model: context.model };
}
