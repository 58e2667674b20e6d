import type { Exchange, StatusFault } from '../emulator/types.js';

/** Which Google API answers: the Gemini API (generativelanguage) or Vertex AI (aiplatform). */
export type GoogleService = 'gemini' | 'vertex';

/** Google front ends label JSON with an explicit charset; the SDK only looks for `application/json`. */
export const GOOGLE_JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';

const SERVICE_HOSTS: Record<GoogleService, string> = {
  gemini: 'generativelanguage.googleapis.com',
  vertex: 'aiplatform.googleapis.com',
};

/** The canonical `google.rpc.Code` name for each HTTP status Google APIs answer with. */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const CODES_BY_STATUS_NAME: Record<string, number> = {
  ...Object.fromEntries(Object.entries(STATUS_NAMES).map(([code, name]) => [name, Number(code)])),
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  ALREADY_EXISTS: 409,
  UNKNOWN: 500,
  DATA_LOSS: 500,
};

export function googleStatusName(code: number): string {
  return STATUS_NAMES[code] ?? (code >= 500 ? 'INTERNAL' : code >= 400 ? 'FAILED_PRECONDITION' : 'UNKNOWN');
}

/** The HTTP status a `google.rpc.Code` name travels with, for in-band errors named by status. */
export function googleCodeForStatusName(name: string): number {
  return CODES_BY_STATUS_NAME[name] ?? 500;
}

export interface GoogleError {
  code: number;
  message: string;
  /** Defaults to the canonical name of `code`. */
  status?: string;
  details?: unknown[];
}

/** `{ error: { code, message, status, details } }`: the `google.rpc.Status` JSON every Google API sends. */
export function googleErrorBody(error: GoogleError): { error: Record<string, unknown> } {
  const body: Record<string, unknown> = {
    code: error.code,
    message: error.message,
    status: error.status ?? googleStatusName(error.code),
  };
  if (error.details && error.details.length > 0) body.details = error.details;
  return { error: body };
}

export function sendGoogleError(exchange: Exchange, error: GoogleError, headers: Record<string, string> = {}): void {
  exchange.json(error.code, googleErrorBody(error), {
    'content-type': GOOGLE_JSON_CONTENT_TYPE,
    vary: 'Origin, X-Origin, Referer',
    ...headers,
  });
}

export function errorInfo(service: GoogleService, reason: string, metadata: Record<string, string> = {}): Record<string, unknown> {
  return {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason,
    domain: 'googleapis.com',
    metadata: { service: SERVICE_HOSTS[service], ...metadata },
  };
}

function localizedMessage(message: string): Record<string, unknown> {
  return { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message };
}

/** A `BadRequest` detail, which the API adds when it names the offending field. */
export function badRequest(description: string, field?: string): Record<string, unknown> {
  return { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [field ? { field, description } : { description }] };
}

/** 400 for a key that is present but wrong, as both APIs answer it. */
export function apiKeyInvalidError(service: GoogleService): GoogleError {
  const message = 'API key not valid. Please pass a valid API key.';
  return { code: 400, message, details: [errorInfo(service, 'API_KEY_INVALID'), localizedMessage(message)] };
}

/** 403 the Gemini API gives a call with no key (and no other credential) at all. */
export function unregisteredCallerError(): GoogleError {
  return {
    code: 403,
    message:
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  };
}

const VERTEX_GENERATE_METHOD = 'google.cloud.aiplatform.v1.PredictionService.GenerateContent';

/** 401 Vertex AI gives when the bearer token is missing, foreign, expired or forged. */
export function vertexUnauthenticatedError(reason: 'CREDENTIALS_MISSING' | 'ACCESS_TOKEN_TYPE_UNSUPPORTED' | 'ACCESS_TOKEN_EXPIRED'): GoogleError {
  const message =
    reason === 'CREDENTIALS_MISSING'
      ? 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.'
      : 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
  return { code: 401, message, details: [errorInfo('vertex', reason, { method: VERTEX_GENERATE_METHOD })] };
}

/** 403 Vertex AI gives a valid token that lacks the cloud-platform scope. */
export function vertexInsufficientScopeError(): GoogleError {
  return {
    code: 403,
    message: 'Request had insufficient authentication scopes.',
    details: [errorInfo('vertex', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', { method: VERTEX_GENERATE_METHOD })],
  };
}

/** The headers a 401 from a Google front end carries. */
export const BEARER_CHALLENGE = { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' };

/** The message each API gives a status when the script names none. */
export function defaultGoogleErrorMessage(service: GoogleService, code: number): string {
  switch (code) {
    case 400:
      return 'Request contains an invalid argument.';
    case 401:
      return vertexUnauthenticatedError('ACCESS_TOKEN_TYPE_UNSUPPORTED').message;
    case 403:
      return 'The caller does not have permission';
    case 404:
      return 'Requested entity was not found.';
    case 429:
      return service === 'gemini'
        ? 'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.'
        : 'Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.';
    case 500:
      return 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting';
    case 503:
      return service === 'gemini' ? 'The model is overloaded. Please try again later.' : 'The service is currently unavailable.';
    case 504:
      return 'Deadline expired before operation could complete.';
    default:
      return 'The request failed.';
  }
}

/**
 * Renders a scripted status fault as the API does. Google does not send `retry-after`: the delay
 * travels in the body as a `google.rpc.RetryInfo` detail (`retryDelay: "<seconds>s"`).
 */
export function googleStatusFaultError(service: GoogleService, fault: StatusFault): GoogleError {
  const details: unknown[] = [];
  if (fault.status === 429 && service === 'gemini') {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }],
    });
  }
  if (fault.retryAfterSeconds !== undefined) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${fault.retryAfterSeconds}s` });
  }
  if (fault.code !== undefined) details.push(errorInfo(service, fault.code));
  return {
    code: fault.status,
    message: fault.message ?? defaultGoogleErrorMessage(service, fault.status),
    status: fault.type ?? googleStatusName(fault.status),
    details,
  };
}

export function sendGoogleStatusFault(exchange: Exchange, service: GoogleService, fault: StatusFault): void {
  const challenge = fault.status === 401 ? BEARER_CHALLENGE : {};
  sendGoogleError(exchange, googleStatusFaultError(service, fault), { ...challenge, ...fault.headers });
}
