import { ConfigError, MemoryStateStore, type BreakerSettings, type ConfigIssue, type StateStore } from '@reg/core';
import type { Admission, BreakerChange, BreakerOutcome, BreakerStateName } from '@reg/core/state';
import { Redis, type RedisOptions } from 'ioredis';
import { redisScripts, type RedisScript } from './redis-scripts.js';
import { clientTarget, describeFailure, parseRedisUrl, type RedisTarget } from './redis-target.js';
import { withDeadline } from './with-deadline.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const DEFAULT_PREFIX = 'reg:';
const DEFAULT_COMMAND_TIMEOUT_MS = 100;
const DEFAULT_RECOVER_AFTER_MS = 1000;
const DEFAULT_IDLE_TTL_MS = 24 * 60 * 60 * 1000;
const DEFAULT_EXPIRY_SLACK_MS = 60_000;
/** An idle breaker hash lives at least this many of its longest period (window or cooldown). */
const BREAKER_IDLE_PERIODS = 10;
const WHERE = 'RedisStateStore options';

export interface RedisStateStoreOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /**
   * An ioredis client the caller made and owns: the store uses it as it is and does not close it.
   * Give it `enableOfflineQueue: false` and `maxRetriesPerRequest: 0`, so that commands never wait
   * for a connection (the store bounds each call by `commandTimeoutMs` either way).
   */
  client?: Redis;
  /** More ioredis options for the client made from `url` (TLS, `db`, `username`, ...). */
  redisOptions?: RedisOptions;
  /** Put before every key, so that several apps can share one Redis. Default `reg:`. */
  prefix?: string;
  /** How long a call waits for Redis before it answers from local state. Default 100. */
  commandTimeoutMs?: number;
  /** While Redis is unavailable, how often the store checks whether it answers again. Default 1000. */
  recoverAfterMs?: number;
  /**
   * Counters, buckets and breakers nobody wrote for this long expire (breakers live at least ten
   * of their window or cooldown). Default 24 h; 0 keeps them until deleted.
   */
  idleTtlMs?: number;
  /** How long a cooldown key outlives its deadline, for clocks that disagree between hosts. Default 60 s. */
  expirySlackMs?: number;
}

export interface RedisStateStoreEvents {
  /** Redis failed or did not answer in time: calls use local state from now on. Once per outage. */
  unavailable: {
    server: string;
    /** What failed, as Redis or the connection said it (credentials removed). */
    reason: string;
    /** One line for a log: where, why, and what the store does now. */
    message: string;
  };
  /** Redis answers again: calls use it again. */
  recovered: { server: string; unavailableMs: number };
}

export type RedisStateStoreEventName = keyof RedisStateStoreEvents;
export type RedisStateStoreEventHandler<Name extends RedisStateStoreEventName> = (event: RedisStateStoreEvents[Name]) => void;

type KeyKind = 'counter' | 'bucket' | 'breaker' | 'cooldown';

const ADMITTED: Admission = Object.freeze({ admitted: true, probe: false });
const ADMITTED_PROBE: Admission = Object.freeze({ admitted: true, probe: true });
const BREAKER_STATES: ReadonlySet<string> = new Set<BreakerStateName>(['closed', 'open', 'half_open']);

/**
 * A StateStore on Redis, so that several processes share round-robin cursors, retry budgets,
 * circuit breakers and cooldowns. Each method is one Lua script, atomic in Redis. When Redis fails
 * or is slow, calls answer from a local MemoryStateStore within `commandTimeoutMs`, the store says
 * so once (`unavailable`), and goes back to Redis when it answers again (`recovered`).
 */
export class RedisStateStore implements StateStore {
  /** The key prefix. */
  readonly prefix: string;
  /** Where Redis is, without credentials. */
  readonly server: string;
  readonly #client: Redis;
  readonly #ownsClient: boolean;
  readonly #target: RedisTarget;
  readonly #local = new MemoryStateStore();
  readonly #scripts = redisScripts();
  readonly #commandTimeoutMs: number;
  readonly #recoverAfterMs: number;
  readonly #idleTtlMs: number;
  readonly #expirySlackMs: number;
  readonly #handlers = new Map<RedisStateStoreEventName, Set<(event: never) => void>>();
  #available = true;
  #unavailableSince = 0;
  #probeTimer: NodeJS.Timeout | undefined;
  #probing = false;
  #ready: Promise<void> | undefined;
  #closed = false;

  constructor(options: RedisStateStoreOptions = {}) {
    const issues: ConfigIssue[] = [];
    this.prefix = readPrefix(options.prefix, issues);
    this.#commandTimeoutMs = readDuration(options, 'commandTimeoutMs', DEFAULT_COMMAND_TIMEOUT_MS, issues, { positive: true });
    this.#recoverAfterMs = readDuration(options, 'recoverAfterMs', DEFAULT_RECOVER_AFTER_MS, issues, { positive: true });
    this.#idleTtlMs = readDuration(options, 'idleTtlMs', DEFAULT_IDLE_TTL_MS, issues, { positive: false });
    this.#expirySlackMs = readDuration(options, 'expirySlackMs', DEFAULT_EXPIRY_SLACK_MS, issues, { positive: false });
    let target: RedisTarget | undefined;
    if (options.client !== undefined) {
      if (options.url !== undefined) issues.push({ path: `${WHERE}.url`, message: 'give either url or client, not both' });
      if (options.redisOptions !== undefined) issues.push({ path: `${WHERE}.redisOptions`, message: 'apply only to a client made from url; configure your own client instead' });
      if (!isRedisClient(options.client)) issues.push({ path: `${WHERE}.client`, message: 'must be an ioredis Redis instance' });
      else target = clientTarget(options.client);
    } else if (options.url !== undefined && typeof options.url !== 'string') {
      issues.push({ path: `${WHERE}.url`, message: 'must be a string like redis://host:port' });
    } else {
      const parsed = parseRedisUrl(options.url ?? DEFAULT_URL);
      if ('problem' in parsed) issues.push({ path: `${WHERE}.url`, message: parsed.problem });
      else target = parsed;
    }
    if (issues.length > 0 || target === undefined) throw new ConfigError(issues);

    const password = options.redisOptions?.password;
    if (typeof password === 'string' && password !== '') target.secrets.push(password);
    this.#target = target;
    this.server = target.server;
    this.#ownsClient = options.client === undefined;
    this.#client = options.client ?? this.#connect(options.url ?? DEFAULT_URL, options.redisOptions);
    this.#client.on('ready', this.#onReady);
  }

  /** False while Redis is unavailable and calls answer from local state. */
  get available(): boolean {
    return this.#available;
  }

  /** Listens to `unavailable` and `recovered`; returns a function that stops listening. */
  on<Name extends RedisStateStoreEventName>(name: Name, handler: RedisStateStoreEventHandler<Name>): () => void {
    let handlers = this.#handlers.get(name);
    if (!handlers) this.#handlers.set(name, (handlers = new Set()));
    handlers.add(handler as (event: never) => void);
    return () => void handlers.delete(handler as (event: never) => void);
  }

  increment(key: string): Promise<number> {
    return this.#run(
      this.#scripts.increment,
      [this.#key('counter', key)],
      [this.#idleTtlMs],
      readNumber,
      () => this.#local.increment(key),
    );
  }

  take(key: string, amount: number, capacity: number): Promise<boolean> {
    return this.#run(
      this.#scripts.take,
      [this.#key('bucket', key)],
      [amount, capacity, this.#idleTtlMs],
      (reply) => readNumber(reply) === 1,
      () => this.#local.take(key, amount, capacity),
    );
  }

  give(key: string, amount: number, capacity: number): Promise<void> {
    return this.#run(
      this.#scripts.give,
      [this.#key('bucket', key)],
      [amount, capacity, this.#idleTtlMs],
      () => undefined,
      () => this.#local.give(key, amount, capacity),
    );
  }

  admit(breaker: string, cooldowns: readonly string[], nowMs: number, settings: BreakerSettings): Promise<Admission> {
    const keys = [this.#key('breaker', breaker)];
    for (const key of cooldowns) keys.push(this.#key('cooldown', key));
    return this.#run(
      this.#scripts.admit,
      keys,
      [nowMs, settings.cooldownMs, settings.halfOpenProbes, this.#breakerTtl(settings)],
      (reply) => readAdmission(reply, breaker, cooldowns),
      () => this.#local.admit(breaker, cooldowns, nowMs, settings),
    );
  }

  record(breaker: string, outcome: BreakerOutcome, probe: boolean, nowMs: number, settings: BreakerSettings): Promise<BreakerChange | undefined> {
    return this.#run(
      this.#scripts.record,
      [this.#key('breaker', breaker)],
      [
        outcome,
        probe ? 1 : 0,
        nowMs,
        settings.failureThreshold,
        settings.failureRate,
        settings.minimumCalls,
        settings.windowMs,
        settings.cooldownMs,
        this.#breakerTtl(settings),
      ],
      readChange,
      () => this.#local.record(breaker, outcome, probe, nowMs, settings),
    );
  }

  coolDown(key: string, untilMs: number): Promise<void> {
    // The key expires at its deadline by this process's clock (the one that set it), plus slack
    // for the other hosts' clocks; it never ends a cooldown that a caller still sees running.
    const ttlMs = Math.ceil(Math.max(0, untilMs - Date.now())) + this.#expirySlackMs;
    return this.#run(
      this.#scripts.coolDown,
      [this.#key('cooldown', key)],
      [untilMs, Number.isSafeInteger(ttlMs) ? Math.max(1, ttlMs) : 0],
      () => undefined,
      () => this.#local.coolDown(key, untilMs),
    );
  }

  /**
   * Stops probing and closes the connection the store made (a client given as `client` stays
   * open). Calls after this answer from local state.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#probeTimer);
    this.#probeTimer = undefined;
    this.#client.off('ready', this.#onReady);
    if (!this.#ownsClient) return;
    const client = this.#client;
    if (client.status === 'ready') {
      await withDeadline(client.quit(), Math.max(this.#commandTimeoutMs, 1000), 'QUIT').catch(() => undefined);
    }
    client.disconnect();
  }

  #connect(url: string, redisOptions: RedisOptions | undefined): Redis {
    const client = new Redis(url, {
      ...redisOptions,
      // A call must never wait for a connection: while there is none, commands fail at once and
      // the store answers locally. Commands cut off by a lost connection are not sent again, so an
      // increment is never applied twice.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempt: number) => Math.min(attempt * 50, this.#recoverAfterMs),
    });
    // Without a listener ioredis prints every connection error; the store reports them itself.
    client.on('error', (error: unknown) => this.#fail(error));
    client.on('close', () => this.#fail(new Error('the connection to Redis closed')));
    return client;
  }

  #key(kind: KeyKind, key: string): string {
    return `${this.prefix}${kind}:${key}`;
  }

  /** An idle breaker hash outlives several of its periods, so that expiry never cuts one short. */
  #breakerTtl(settings: BreakerSettings): number {
    if (this.#idleTtlMs === 0) return 0;
    const ttl = Math.ceil(Math.max(this.#idleTtlMs, BREAKER_IDLE_PERIODS * Math.max(settings.windowMs, settings.cooldownMs)));
    return Number.isSafeInteger(ttl) ? ttl : 0;
  }

  #run<T>(
    script: RedisScript,
    keys: readonly string[],
    args: ReadonlyArray<string | number>,
    read: (reply: unknown) => T,
    local: () => T,
  ): Promise<T> {
    if (!this.#available || this.#closed) return Promise.resolve(local());
    return this.#evaluate(script, keys, args).then(read).catch((error: unknown) => {
      this.#fail(error);
      return local();
    });
  }

  /** EVALSHA, or EVAL once when Redis does not know the script yet (a new or restarted server). */
  #evaluate(script: RedisScript, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    const client = this.#client;
    const send = () =>
      client.evalsha(script.sha, keys.length, ...keys, ...args).catch((error: unknown) => {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return client.eval(script.lua, keys.length, ...keys, ...args);
        throw error;
      });
    const pending = client.status === 'ready' ? send() : this.#whenReady().then(send);
    return withDeadline(pending, this.#commandTimeoutMs, `Redis script ${script.name}`);
  }

  /** Resolves when the client is connected; shared by every call that arrives while it connects. */
  #whenReady(): Promise<void> {
    const client = this.#client;
    if (client.status === 'end') return Promise.reject(new Error('the connection to Redis is closed'));
    this.#ready ??= new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        client.off('ready', onReady);
        client.off('error', onError);
        client.off('end', onEnd);
        this.#ready = undefined;
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => settle();
      const onError = (error: Error) => settle(error);
      const onEnd = () => settle(new Error('the connection to Redis is closed'));
      client.on('ready', onReady);
      client.on('error', onError);
      client.on('end', onEnd);
      // A lazyConnect client of the caller's connects on its first command; waiting is not one.
      if (client.status === 'wait') client.connect().catch(() => undefined);
    });
    return this.#ready;
  }

  #fail(error: unknown): void {
    if (this.#closed || !this.#available) return;
    this.#available = false;
    this.#unavailableSince = Date.now();
    const reason = describeFailure(error, this.#target);
    this.#emit('unavailable', {
      server: this.server,
      reason,
      message: `Redis at ${this.server} is unavailable (${reason}); reg answers from local state until it responds again.`,
    });
    this.#probeLater(this.#recoverAfterMs);
  }

  readonly #onReady = () => {
    if (this.#available || this.#closed) return;
    clearTimeout(this.#probeTimer);
    this.#probeTimer = undefined;
    void this.#probe();
  };

  #probeLater(delayMs: number): void {
    if (this.#closed || this.#probeTimer !== undefined) return;
    this.#probeTimer = setTimeout(() => {
      this.#probeTimer = undefined;
      void this.#probe();
    }, delayMs);
    // Probing alone must not keep a process alive.
    this.#probeTimer.unref();
  }

  async #probe(): Promise<void> {
    if (this.#closed || this.#available || this.#probing) return;
    this.#probing = true;
    const client = this.#client;
    try {
      const ping = () => client.ping();
      await withDeadline(client.status === 'ready' ? ping() : this.#whenReady().then(ping), this.#commandTimeoutMs, 'Redis PING');
    } catch {
      this.#probing = false;
      this.#probeLater(this.#recoverAfterMs);
      return;
    }
    this.#probing = false;
    if (this.#closed || this.#available) return;
    this.#available = true;
    this.#emit('recovered', { server: this.server, unavailableMs: Date.now() - this.#unavailableSince });
  }

  #emit<Name extends RedisStateStoreEventName>(name: Name, event: RedisStateStoreEvents[Name]): void {
    const handlers = this.#handlers.get(name);
    if (!handlers) return;
    for (const handler of handlers) {
      try {
        (handler as RedisStateStoreEventHandler<Name>)(event);
      } catch {
        // A listener's bug must not fail the call that noticed the outage.
      }
    }
  }
}

/** Duck-typed, so that a client from another copy of ioredis is accepted too. */
function isRedisClient(value: unknown): value is Redis {
  const client = value as Partial<Redis> | null;
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof client.evalsha === 'function' &&
    typeof client.eval === 'function' &&
    typeof client.ping === 'function' &&
    typeof client.on === 'function' &&
    typeof client.status === 'string'
  );
}

function readNumber(reply: unknown): number {
  const value = typeof reply === 'string' ? Number(reply) : reply;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new Error(`unexpected reply from a Redis script: ${String(reply)}`);
  return value;
}

function readAdmission(reply: unknown, breaker: string, cooldowns: readonly string[]): Admission {
  if (Array.isArray(reply)) {
    const [verdict, first, second] = reply as unknown[];
    if (verdict === 'admitted') return readNumber(first) === 1 ? ADMITTED_PROBE : ADMITTED;
    if (verdict === 'open') return { admitted: false, reason: 'open', key: breaker, untilMs: readNumber(first) };
    const key = verdict === 'cooldown' ? cooldowns[readNumber(first)] : undefined;
    if (key !== undefined) return { admitted: false, reason: 'cooldown', key, untilMs: readNumber(second) };
  }
  throw new Error(`unexpected reply from the Redis admit script: ${JSON.stringify(reply)}`);
}

function readChange(reply: unknown): BreakerChange | undefined {
  if (Array.isArray(reply)) {
    if (reply.length === 0) return undefined;
    const [from, to] = reply as unknown[];
    if (typeof from === 'string' && typeof to === 'string' && BREAKER_STATES.has(from) && BREAKER_STATES.has(to)) {
      return { from: from as BreakerStateName, to: to as BreakerStateName };
    }
  }
  throw new Error(`unexpected reply from the Redis record script: ${JSON.stringify(reply)}`);
}

function readPrefix(prefix: unknown, issues: ConfigIssue[]): string {
  if (prefix === undefined) return DEFAULT_PREFIX;
  if (typeof prefix !== 'string') issues.push({ path: `${WHERE}.prefix`, message: 'must be a string such as "myapp:reg:"' });
  return String(prefix);
}

function readDuration(
  options: RedisStateStoreOptions,
  name: 'commandTimeoutMs' | 'recoverAfterMs' | 'idleTtlMs' | 'expirySlackMs',
  fallback: number,
  issues: ConfigIssue[],
  { positive }: { positive: boolean },
): number {
  const value: unknown = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive ? value <= 0 : value < 0)) {
    issues.push({ path: `${WHERE}.${name}`, message: `must be a number of milliseconds ${positive ? '> 0' : '>= 0'} (got ${String(value)})` });
    return fallback;
  }
  return Math.ceil(value);
}
