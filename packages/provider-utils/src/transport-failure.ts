import { RegError, TimeoutError } from '@reg/core';
import { whoFailed, type ErrorContext } from './provider-error.js';

/**
 * What went wrong below HTTP:
 * - `connect-timeout`: no connection within the connect timeout (undici's, or a provider's own);
 * - `refused`, `reset`, `dns`, `tls`, `unreachable`: the connection could not be made or broke;
 * - `closed`: the connection ended before the answer did (fetch's `terminated`, socket hang up);
 * - `headers-timeout`, `body-timeout`: a pool's own timers ran out (reg's pools have them off).
 */
export type TransportFailureKind =
  | 'connect-timeout'
  | 'refused'
  | 'reset'
  | 'dns'
  | 'tls'
  | 'unreachable'
  | 'closed'
  | 'headers-timeout'
  | 'body-timeout';

export interface TransportFailure {
  kind: TransportFailureKind;
  /** The Node or undici error code that told, when one did (`ECONNREFUSED`, `UND_ERR_SOCKET`). */
  code: string | undefined;
  /** The innermost message of the cause chain, where Node and undici say what happened. */
  detail: string;
}

/** Node's, undici's and Bun's error codes (the same failure under any of them gets one kind). */
const KIND_BY_CODE: Readonly<Record<string, TransportFailureKind>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  ECONNABORTED: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  ETIMEDOUT: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  ENETRESET: 'reset',
  UND_ERR_CLOSED: 'closed',
  UND_ERR_DESTROYED: 'closed',
  UND_ERR_ABORTED: 'closed',
  ERR_STREAM_PREMATURE_CLOSE: 'closed',
  UND_ERR_HEADERS_TIMEOUT: 'headers-timeout',
  UND_ERR_BODY_TIMEOUT: 'body-timeout',
  // HTTP/2 (the AWS SDK's handler): a session or stream that broke.
  ERR_HTTP2_STREAM_CANCEL: 'closed',
  ERR_HTTP2_STREAM_ERROR: 'reset',
  ERR_HTTP2_SESSION_ERROR: 'reset',
  ERR_HTTP2_GOAWAY_SESSION: 'closed',
  ERR_HTTP2_INVALID_SESSION: 'closed',
  ERR_HTTP2_ERROR: 'reset',
  // Bun's fetch names its failures in words of its own.
  ConnectionRefused: 'refused',
  ConnectionClosed: 'closed',
  FailedToOpenSocket: 'unreachable',
};

/** TLS failures carry OpenSSL's codes (certificate problems) or Node's `ERR_TLS_*` / `ERR_SSL_*`. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/;

/** What fetch, the SDKs and Node say when the connection broke, where no code says it. */
const CLOSED_MESSAGE = /^(terminated|fetch failed|failed to fetch|socket hang up|other side closed)$|socket hang up|other side closed|premature close|NGHTTP2_|did not get a response/i;

const CODE_IN_MESSAGE = new RegExp(`\\b(${Object.keys(KIND_BY_CODE).join('|')})\\b`);

/**
 * A connect timeout a provider detects itself (its own socket, or its transport's), in a form that
 * survives the SDKs: its name, message and fields avoid the word "timeout", which the Anthropic SDK
 * (for one) turns into its own request-timeout error while dropping the cause. `error` keeps the
 * original failure (not as `cause`, for the same reason).
 */
export class ConnectDeadlineExceeded extends Error {
  readonly timeoutMs: number;
  readonly error: unknown;

  constructor(input: { timeoutMs: number; error?: unknown; authority?: string }) {
    super(`no connection${input.authority ? ` to ${input.authority}` : ''} within ${input.timeoutMs} ms`);
    this.name = 'ConnectDeadlineExceeded';
    this.timeoutMs = input.timeoutMs;
    this.error = input.error;
  }
}

/** Names of connect-timeout errors that carry no code (undici's own class, and the one above). */
const CONNECT_TIMEOUT_NAMES = new Set(['ConnectTimeoutError', 'ConnectDeadlineExceeded']);

/** An error and its causes, outermost first (bounded: cause chains can cycle). */
export function errorChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let current: unknown = error; typeof current === 'object' && current !== null && chain.length < 8; current = (current as ErrorLike).cause) {
    if (chain.includes(current)) break;
    chain.push(current);
  }
  return chain;
}

/** What a thrown value may carry; anything may be thrown, so every field is optional. */
export interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  cause?: unknown;
}

/**
 * Whether a failure (anywhere in its cause chain) happened below HTTP, and what it was. One
 * classification for undici, Node's http/http2/net/tls and the SDKs' wrappers around them, so
 * every provider treats the same broken connection the same way.
 */
export function classifyTransportFailure(error: unknown): TransportFailure | undefined {
  const chain = errorChain(error);
  const detail = chain.length > 1 ? (chain.at(-1)?.message ?? '') : (chain[0]?.message ?? String(error));
  let found: TransportFailure | undefined;
  for (const item of chain) {
    // Some wrappers keep only the words (`read ECONNRESET`); the code in them still tells.
    const code = typeof item.code === 'string' ? item.code : CODE_IN_MESSAGE.exec(item.message ?? '')?.[1];
    const kind = (code && KIND_BY_CODE[code]) ?? (code && TLS_CODE.test(code) ? 'tls' : undefined) ?? (CONNECT_TIMEOUT_NAMES.has(item.name ?? '') ? 'connect-timeout' : undefined);
    // A precise cause (a code) wins over a wrapper's generic words; a connect timeout wins over all.
    if (kind === 'connect-timeout') return { kind, code, detail };
    if (kind && !found?.code) found = { kind, code, detail };
    else if (!found && CLOSED_MESSAGE.test(item.message ?? '')) found = { kind: 'closed', code: undefined, detail };
  }
  return found;
}

const DESCRIPTION: Readonly<Record<TransportFailureKind, string>> = {
  'connect-timeout': 'no connection within connect_timeout_ms',
  refused: 'the connection was refused',
  reset: 'the connection was reset',
  dns: 'the host name could not be resolved',
  tls: 'the TLS handshake failed',
  unreachable: 'the server could not be reached',
  closed: 'the connection closed before the answer was complete',
  'headers-timeout': "the transport's own header timeout ran out",
  'body-timeout': "the transport's own body timeout ran out",
};

/**
 * The RegError for a transport failure, or undefined when `error` is not one: a connect timeout
 * is a TimeoutError (`connect_timeout_ms`), everything else `connection`; all retryable. The
 * message names the client and what to check (`endpointOption`, default `base_url`).
 */
export function transportError(error: unknown, context: ErrorContext & { endpointOption?: string }): RegError | undefined {
  const failure = classifyTransportFailure(error);
  if (!failure) return undefined;
  const base = { client: context.client, provider: context.provider, model: context.model, cause: error };
  const check = `Check ${context.endpointOption ?? 'base_url'} and the network.`;
  const what = DESCRIPTION[failure.kind];
  const because = failure.detail && failure.detail !== what ? ` (${failure.code ?? failure.detail})` : '';
  switch (failure.kind) {
    case 'connect-timeout':
      return new TimeoutError({ ...base, timeout: 'connect_timeout_ms', retryable: true, message: `${whoFailed(context)}: ${what}. ${check} Raise options.http.connect_timeout_ms if the network is slow.` });
    case 'headers-timeout':
    case 'body-timeout':
      return new TimeoutError({ ...base, timeout: failure.kind === 'headers-timeout' ? 'headers_timeout' : 'body_timeout', retryable: true, message: `${whoFailed(context)}: ${what}${because}.` });
    default:
      return new RegError({ ...base, code: 'connection', retryable: true, message: `${whoFailed(context)}: ${what}${because}. ${check}` });
  }
}
