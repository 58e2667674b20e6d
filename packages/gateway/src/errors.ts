import { AllClientsFailedError, ConfigError, RegError, type ErrorCode } from '@reg/core';

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface HttpError {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
}

/** An error the gateway raises itself (bad body, missing key, limits), already in HTTP terms. */
export class GatewayError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | null;

  constructor(options: { status: number; message: string; code: string; type?: string; param?: string | null }) {
    super(options.message);
    this.name = 'GatewayError';
    this.status = options.status;
    this.code = options.code;
    this.type = options.type ?? typeForStatus(options.status);
    this.param = options.param ?? null;
  }
}

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  config: 400,
  no_such_provider: 400,
  invalid_request: 400,
  context_length: 400,
  content_filter: 400,
  // The key of a server-defined client is the operator's problem; see `requestDefined` below.
  missing_credentials: 500,
  // An upstream refused the client's key: the gateway's caller holds the right key, the upstream did not.
  auth: 502,
  not_found: 404,
  no_such_client: 404,
  quota: 429,
  rate_limited: 429,
  overloaded: 503,
  server: 502,
  connection: 502,
  stream_interrupted: 502,
  // Skipped without a request: the upstream failed repeatedly; Retry-After says when it is tried again.
  circuit_open: 503,
  timeout: 504,
  aborted: 499,
  all_failed: 502,
};

/**
 * The HTTP answer for anything a call threw. `requestDefined` marks errors of a registry the
 * request brought: its configuration and credentials are the caller's to fix (400, not 500).
 * Config errors of a request-defined registry already carry paths in the request body.
 */
export function toHttpError(thrown: unknown, context: { requestDefined?: boolean } = {}): HttpError {
  if (thrown instanceof GatewayError) {
    return { status: thrown.status, headers: {}, body: errorBody(thrown.message, thrown.type, thrown.param, thrown.code) };
  }
  if (!RegError.isInstance(thrown)) {
    return { status: 500, headers: {}, body: errorBody('The gateway failed unexpectedly; see its log.', 'server_error', null, 'internal') };
  }
  const status = statusOf(thrown, context.requestDefined === true);
  const headers: Record<string, string> = {};
  const retryAfterMs = retryAfterOf(thrown);
  if (retryAfterMs !== undefined && (status === 429 || status === 503)) headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  let message = thrown.message;
  let param: string | null = null;
  if (ConfigError.isInstance(thrown)) {
    param = thrown.issues[0]?.path || null;
    const lines = thrown.issues.map((issue) => `  - ${issue.path ? `${issue.path}: ` : ''}${issue.message}`);
    message = `Invalid ${context.requestDefined ? 'request-defined registry' : 'configuration'}:\n${lines.join('\n')}`;
  }
  return { status, headers, body: errorBody(message, typeForStatus(status), param, thrown.code) };
}

export function errorBody(message: string, type: string, param: string | null, code: string | null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

function statusOf(error: RegError, requestDefined: boolean): number {
  if (error.code === 'missing_credentials' && requestDefined) return 400;
  if (AllClientsFailedError.isInstance(error)) {
    // The last member's failure says best what went wrong (all rate limited is still a 429).
    const last = error.errors.at(-1);
    const status = last ? statusOf(last, requestDefined) : 502;
    return status === 499 ? 502 : status;
  }
  return STATUS_BY_CODE[error.code] ?? 500;
}

function retryAfterOf(error: RegError): number | undefined {
  if (error.retryAfterMs !== undefined) return error.retryAfterMs;
  if (AllClientsFailedError.isInstance(error)) {
    const waits = error.errors.map((member) => member.retryAfterMs).filter((ms): ms is number => ms !== undefined);
    return waits.length > 0 ? Math.min(...waits) : undefined;
  }
  return undefined;
}

function typeForStatus(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413 || (status >= 400 && status < 500 && status !== 429 && status !== 499)) return 'invalid_request_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 499) return 'request_aborted';
  if (status === 504) return 'timeout_error';
  return 'server_error';
}
