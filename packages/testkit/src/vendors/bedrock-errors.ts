import { randomUUID } from 'node:crypto';
import type { Exchange, StatusFault } from '../emulator/types.js';

/** The HTTP status of each exception the Bedrock Runtime model declares (its `httpError` traits). */
export const BEDROCK_EXCEPTION_STATUS: Readonly<Record<string, number>> = {
  ValidationException: 400,
  ServiceQuotaExceededException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

const DEFAULT_MESSAGES: Readonly<Record<string, string>> = {
  ValidationException: 'The provided request is not valid.',
  ServiceQuotaExceededException: 'Your request exceeds the service quota for your account.',
  AccessDeniedException: "You don't have access to the model with the specified model ID.",
  ResourceNotFoundException: 'The specified resource could not be found.',
  ModelTimeoutException: 'Model has timed out in processing the request. Try your request again.',
  ModelErrorException: 'The model returned an error.',
  ModelStreamErrorException: 'The model returned an error while streaming the response.',
  ThrottlingException: 'Too many requests, please wait before trying again.',
  ModelNotReadyException: 'Model is not ready to serve inference requests. Retry your request.',
  InternalServerException: 'The server encountered an internal error. Retry your request.',
  ServiceUnavailableException: 'Bedrock is unable to process your request.',
};

/** Exceptions raised by the AWS front end (auth) rather than by Bedrock itself carry another namespace. */
const SERVICE_NAMESPACE = 'http://internal.amazon.com/coral/com.amazon.bedrock/';
const FRONT_END_NAMESPACE = 'http://internal.amazon.com/coral/com.amazon.coral.service/';

/** A scripted `type` selects the exception; otherwise the status does. */
export function bedrockExceptionName(fault: Pick<StatusFault, 'status' | 'type'>): string {
  if (fault.type) return upperFirst(fault.type);
  const byStatus: Record<number, string> = {
    400: 'ValidationException',
    403: 'AccessDeniedException',
    404: 'ResourceNotFoundException',
    408: 'ModelTimeoutException',
    424: 'ModelErrorException',
    429: 'ThrottlingException',
    500: 'InternalServerException',
    503: 'ServiceUnavailableException',
  };
  return byStatus[fault.status] ?? (fault.status >= 500 ? 'InternalServerException' : 'ValidationException');
}

/**
 * Answers with a Bedrock error: the exception name travels in `x-amzn-errortype` (the SDK's
 * REST-JSON protocol reads the header first and drops everything from the first `:`), the body
 * is `{"message": ...}`.
 */
export function sendBedrockError(
  exchange: Exchange,
  error: { status: number; type: string; message: string; frontEnd?: boolean; headers?: Record<string, string> },
): void {
  exchange.json(
    error.status,
    { message: error.message },
    {
      'x-amzn-requestid': randomUUID(),
      'x-amzn-errortype': `${error.type}:${error.frontEnd ? FRONT_END_NAMESPACE : SERVICE_NAMESPACE}`,
      ...error.headers,
    },
  );
}

export function sendBedrockFault(exchange: Exchange, fault: StatusFault): void {
  const type = bedrockExceptionName(fault);
  const headers: Record<string, string> = { ...fault.headers };
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  if (fault.shouldRetry !== undefined) headers['x-should-retry'] = String(fault.shouldRetry);
  sendBedrockError(exchange, { status: fault.status, type, message: fault.message ?? DEFAULT_MESSAGES[type] ?? type, headers });
}

/**
 * The `:exception-type` and payload of an in-stream exception. The type is the member name in
 * ConverseStream's event union (`throttlingException`, `modelStreamErrorException`, ...); a name
 * outside the union still goes out, and the SDK then raises a plain Error named after it.
 */
export function bedrockStreamException(fault: { type?: string; message?: string }): { exceptionType: string; body: { message: string } } {
  const name = fault.type ? upperFirst(fault.type) : 'ModelStreamErrorException';
  return {
    exceptionType: lowerFirst(name),
    body: { message: fault.message ?? DEFAULT_MESSAGES[name] ?? name },
  };
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
