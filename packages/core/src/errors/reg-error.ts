import { redactSecrets } from './redact.js';

export type ErrorCode =
  | 'config'
  | 'no_such_provider'
  | 'no_such_client'
  | 'missing_credentials'
  | 'auth'
  | 'invalid_request'
  | 'not_found'
  | 'context_length'
  | 'content_filter'
  | 'quota'
  | 'rate_limited'
  | 'overloaded'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'aborted'
  | 'stream_interrupted'
  | 'circuit_open'
  | 'all_failed';

export interface RegErrorOptions {
  code: ErrorCode;
  message: string;
  /** HTTP status of the vendor response, when there was one. */
  status?: number;
  /** Whether another attempt on the same client may succeed. */
  retryable?: boolean;
  /** The least wait the vendor asked for before another attempt. */
  retryAfterMs?: number;
  client?: string;
  provider?: string;
  model?: string;
  cause?: unknown;
}

// A registered symbol, so errors from two copies of @reg/core still recognise each other.
const REG_ERROR = Symbol.for('@reg/core.RegError');

/** The one error family of reg. Strategies read only `code`, `retryable` and `retryAfterMs`. */
export class RegError extends Error {
  /** Set on subclasses: the code that `isInstance` checks for. */
  static readonly errorCode: ErrorCode | undefined = undefined;

  readonly code: ErrorCode;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  client: string | undefined;
  provider: string | undefined;
  model: string | undefined;

  constructor(options: RegErrorOptions) {
    super(redactSecrets(options.message), options.cause === undefined ? undefined : { cause: redactCause(options.cause) });
    this.name = 'RegError';
    this.code = options.code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.client = options.client;
    this.provider = options.provider;
    this.model = options.model;
    Object.defineProperty(this, REG_ERROR, { value: true });
  }

  /**
   * True for a RegError (or, called on a subclass, that subclass's code) from any copy of
   * @reg/core, where `instanceof` would fail across copies.
   */
  static isInstance<T extends RegError>(this: { readonly errorCode: ErrorCode | undefined; prototype: T }, value: unknown): value is T {
    if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[REG_ERROR] !== true) return false;
    return this.errorCode === undefined || (value as RegError).code === this.errorCode;
  }

  /** Scrubs more secrets (the client's own key values) from the message, in place. */
  redact(secrets: Iterable<string>): this {
    this.message = redactSecrets(this.message, secrets);
    if (this.cause instanceof Error) {
      try {
        this.cause.message = redactSecrets(this.cause.message, secrets);
      } catch {
        // A read-only message (a DOMException abort reason) holds no secret of ours.
      }
    }
    return this;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      client: this.client,
      provider: this.provider,
      model: this.model,
      cause: this.cause instanceof Error ? { name: this.cause.name, message: this.cause.message } : undefined,
    };
  }
}

/** A vendor SDK's error keeps its class and stack; only its message loses credentials. */
function redactCause(cause: unknown): unknown {
  if (cause instanceof Error) {
    try {
      cause.message = redactSecrets(cause.message);
    } catch {
      // A frozen error keeps its message; RegError's own message is redacted regardless.
    }
  }
  return cause;
}
