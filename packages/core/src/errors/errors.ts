import type { Attempt } from '../registry/types.js';
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

  constructor(issues: ConfigIssue[], options: { source?: string } = {}) {
    const where = options.source ? ` in ${options.source}` : '';
    const lines = issues.map((issue) => `  - ${issue.path ? `${issue.path}: ` : ''}${issue.message}`);
    super({ code: 'config', message: `Invalid reg configuration${where}:\n${lines.join('\n')}` });
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

/** Every member of a strategy failed; `attempts` holds each attempt in order, `errors` each member's last error. */
export class AllClientsFailedError extends RegError {
  static override readonly errorCode: ErrorCode = 'all_failed';
  readonly attempts: Attempt[];
  readonly errors: RegError[];

  constructor(options: { client: string; attempts: Attempt[]; errors: RegError[] }) {
    const summary = options.errors.map((error) => `${error.client ?? '?'}: ${error.code} (${error.message})`).join('; ');
    super({
      code: 'all_failed',
      message: `All clients of '${options.client}' failed after ${options.attempts.length} attempt(s): ${summary}`,
      client: options.client,
      retryable: false,
      status: options.errors.at(-1)?.status,
    });
    this.name = 'AllClientsFailedError';
    this.attempts = options.attempts;
    this.errors = options.errors;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), attempts: this.attempts, errors: this.errors.map((error) => error.toJSON()) };
  }
}
