import type { Attempt } from '../spec.js';
import { RegError, type ErrorCode, type RegErrorOptions } from './reg-error.js';

type SubclassOptions = Omit<RegErrorOptions, 'code'>;

export interface ConfigIssue {
  /** Where in the config: `clients[2].options.strategy[1]`. */
  path: string;
  message: string;
}

/** Invalid configuration; lists every problem found, each with its path. */
export class ConfigError extends RegError {
  static override readonly errorCode: ErrorCode = 'config';
  readonly issues: ConfigIssue[];

  /** `client`: the client whose options are wrong, when one is (a provider's parseOptions knows it). */
  constructor(issues: ConfigIssue[], options: { source?: string; client?: string } = {}) {
    const where = `${options.client === undefined ? '' : ` of client '${options.client}'`}${options.source ? ` in ${options.source}` : ''}`;
    const lines = issues.map((issue) => `  - ${issue.path ? `${issue.path}: ` : ''}${issue.message}`);
    super({ code: 'config', message: `Invalid reg configuration${where}:\n${lines.join('\n')}`, client: options.client });
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export class NoSuchProviderError extends RegError {
  static override readonly errorCode: ErrorCode = 'no_such_provider';
  readonly knownProviders: string[];
  readonly packageName: string | undefined;

  constructor(options: { provider: string; knownProviders: string[]; packageName?: string; client?: string; cause?: unknown }) {
    const install = options.packageName
      ? `Install its package: pnpm add ${options.packageName} (or npm install ${options.packageName}).`
      : `Pass it in code (new ClientRegistry({ providers: [...] })) or list its package in the config's plugins.`;
    super({
      code: 'no_such_provider',
      message:
        `Unknown provider '${options.provider}'${options.client ? ` for client '${options.client}'` : ''}. ${install} ` +
        `Known providers: ${options.knownProviders.join(', ')}.`,
      provider: options.provider,
      client: options.client,
      cause: options.cause,
    });
    this.name = 'NoSuchProviderError';
    this.knownProviders = options.knownProviders;
    this.packageName = options.packageName;
  }
}

export class NoSuchClientError extends RegError {
  static override readonly errorCode: ErrorCode = 'no_such_client';
  constructor(options: { client: string; knownClients: string[] }) {
    const known = options.knownClients.length ? options.knownClients.join(', ') : 'none';
    super({
      code: 'no_such_client',
      message: `No client named '${options.client}'. Known clients: ${known}. A client reference is a client name or 'provider/model'.`,
      client: options.client,
    });
    this.name = 'NoSuchClientError';
  }
}

/** A client's credentials could not be found; names the option and the environment variable. */
export class MissingCredentialsError extends RegError {
  static override readonly errorCode: ErrorCode = 'missing_credentials';
  constructor(options: { client: string; provider: string; option: string; envVariable?: string; model?: string }) {
    const env = options.envVariable ? ` or set the ${options.envVariable} environment variable` : '';
    super({
      code: 'missing_credentials',
      message: `Client '${options.client}' (${options.provider}) has no credentials: set options.${options.option}${env}.`,
      client: options.client,
      provider: options.provider,
      model: options.model,
    });
    this.name = 'MissingCredentialsError';
  }
}

export class TimeoutError extends RegError {
  static override readonly errorCode: ErrorCode = 'timeout';
  /** Which limit ran out: `timeoutMs`, `total_timeout_ms`, `request_timeout_ms`, ... */
  readonly timeout: string;
  constructor(options: SubclassOptions & { timeout: string }) {
    super({ ...options, code: 'timeout' });
    this.name = 'TimeoutError';
    this.timeout = options.timeout;
  }
}

export class AbortedError extends RegError {
  static override readonly errorCode: ErrorCode = 'aborted';
  constructor(options: Partial<SubclassOptions> = {}) {
    super({ message: 'The call was aborted by the caller.', ...options, code: 'aborted', retryable: false });
    this.name = 'AbortedError';
  }
}

/** A stream failed after content reached the caller: nothing is retried or repeated. */
export class StreamInterruptedError extends RegError {
  static override readonly errorCode: ErrorCode = 'stream_interrupted';
  constructor(options: SubclassOptions) {
    super({ ...options, code: 'stream_interrupted', retryable: false });
    this.name = 'StreamInterruptedError';
  }
}

/** Why a client was skipped without a request. */
export type SkipReason =
  /** Its circuit breaker is open (`circuit_open`), until `until`. */
  | { reason: 'open'; until: number }
  /** It cools down after a 429 (`rate_limited`), its rate-limit group's when `group` is set, until `until`. */
  | { reason: 'cooldown'; until: number; group?: string | undefined }
  /** Its provider cannot take what the request needs (`invalid_request`); `need` says what and what it takes. */
  | { reason: 'unsupported'; need: string };

/**
 * A client was skipped without a request: its circuit breaker is open (`circuit_open`), it cools
 * down after a 429 (`rate_limited`; `retryAfterMs` is the time left), or its provider cannot take
 * what the request needs (`invalid_request`). A strategy moves on to its next member.
 */
export class ClientSkippedError extends RegError {
  readonly skipped = true;
  /** Epoch milliseconds when the client takes calls again (now, for a request it cannot take). */
  readonly until: number;
  readonly group: string | undefined;

  constructor(options: { client: string; provider: string; model: string } & SkipReason) {
    const until = options.reason === 'unsupported' ? Date.now() : options.until;
    const left = Math.max(0, until - Date.now());
    const seconds = (left / 1000).toFixed(1);
    const group = options.reason === 'cooldown' ? options.group : undefined;
    super({
      code: options.reason === 'open' ? 'circuit_open' : options.reason === 'cooldown' ? 'rate_limited' : 'invalid_request',
      message:
        options.reason === 'open'
          ? `Client '${options.client}' was skipped: its circuit breaker is open for ${seconds} s more after repeated failures.`
          : options.reason === 'cooldown'
            ? `Client '${options.client}' was skipped: ${group === undefined ? 'it cools' : `its rate_limit_group '${group}' cools`} down for ${seconds} s more after a 429.`
            : `Client '${options.client}' (${options.provider}) was skipped: it cannot take this request: ${options.need}.`,
      retryable: false,
      retryAfterMs: options.reason === 'unsupported' ? undefined : left,
      client: options.client,
      provider: options.provider,
      model: options.model,
    });
    this.name = 'ClientSkippedError';
    this.until = until;
    this.group = group;
  }

  /** True for a skip (from any copy of @reg/core), and for a strategy all of whose members were skipped. */
  static isSkip(value: unknown): boolean {
    if (!RegError.isInstance(value)) return false;
    if ((value as { skipped?: unknown }).skipped === true) return true;
    const errors = (value as { errors?: unknown }).errors;
    return value.code === 'all_failed' && Array.isArray(errors) && errors.length > 0 && errors.every((error) => ClientSkippedError.isSkip(error));
  }
}

/**
 * Every member of a strategy failed; `attempts` holds each attempt in order, `errors` each member's
 * last error, `openCircuits` the clients skipped for an open breaker or a cooldown (those skipped
 * because they cannot take the request are in `attempts`, with code `invalid_request`).
 */
export class AllClientsFailedError extends RegError {
  static override readonly errorCode: ErrorCode = 'all_failed';
  readonly attempts: Attempt[];
  readonly errors: RegError[];
  readonly openCircuits: string[];

  constructor(options: { client: string; attempts: Attempt[]; errors: RegError[] }) {
    const summary = options.errors.map((error) => `${error.client ?? '?'}: ${error.code} (${error.message})`).join('; ');
    const skippedAttempts = options.attempts.filter((attempt) => attempt.status === 'skipped');
    const clientsOf = (attempts: Attempt[]) => [...new Set(attempts.map((attempt) => attempt.client))];
    const openCircuits = clientsOf(skippedAttempts.filter((attempt) => attempt.code !== 'invalid_request'));
    const cannotServe = clientsOf(skippedAttempts.filter((attempt) => attempt.code === 'invalid_request'));
    const tried = options.attempts.length - skippedAttempts.length;
    const skipped =
      (openCircuits.length > 0 ? `; skipped (breaker open or cooling down): ${openCircuits.join(', ')}` : '') +
      (cannotServe.length > 0 ? `; skipped (cannot take this request): ${cannotServe.join(', ')}` : '');
    super({
      code: 'all_failed',
      message: `All clients of '${options.client}' failed after ${tried} attempt(s)${skipped}: ${summary}`,
      client: options.client,
      retryable: false,
      status: options.errors.at(-1)?.status,
    });
    this.name = 'AllClientsFailedError';
    this.attempts = options.attempts;
    this.errors = options.errors;
    this.openCircuits = openCircuits;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), attempts: this.attempts, errors: this.errors.map((error) => error.toJSON()), openCircuits: this.openCircuits };
  }
}
