import type { ClientBreaker } from '../config/parse-client-options.js';
import { AbortedError, ClientSkippedError, StreamInterruptedError, TimeoutError } from '../errors/errors.js';
import { RegError } from '../errors/reg-error.js';
import type { RetryBudget } from '../retry/retry-budget.js';
import { retryDelayMs, type RetryPolicy } from '../retry/retry-policy.js';
import type { Admission } from '../state/breaker.js';
import type {
  Attempt,
  CallOptions,
  CallScope,
  ChatModel,
  ChatRequest,
  ClientResult,
  ClientStreamPart,
  HttpTimeouts,
  ModelStreamPart,
  ProviderCapabilities,
  RunnableClient,
} from '../spec.js';
import { LinkedAbort, sleep } from './abort.js';
import { breakerOutcome, ClientHealth } from './client-health.js';
import { unsupportedNeed } from './request-needs.js';

export interface LeafClientOptions {
  name: string;
  provider: string;
  /** Builds (or returns the cached) model; throws when it cannot, e.g. for missing credentials. */
  model: () => ChatModel;
  /** The model name before the model is built, for attempts that fail building it. */
  modelName: string;
  retryPolicy: RetryPolicy;
  /** Undefined when the client's retry budget is off. */
  retryBudget: RetryBudget | undefined;
  http: HttpTimeouts;
  /** Undefined when the client's circuit breaker is off. */
  breaker: ClientBreaker | undefined;
  /** The client's own secret option values, scrubbed from every error by value. */
  secrets: ReadonlySet<string>;
  /** What the provider declares its models can do; a request that needs more is skipped. */
  capabilities: Readonly<Partial<ProviderCapabilities>> | undefined;
  random: () => number;
}

type RetryDecision = { delayMs: number } | { gaveUp: NonNullable<Attempt['gaveUp']> | undefined };

/**
 * One model behind its retry policy and per-attempt timeouts: the retry loop. Before each attempt
 * it asks the client's health (breaker, cooldown) for admission, so an open breaker or a 429
 * cooldown skips the client without a request; after each it reports the outcome.
 */
export class LeafClient implements RunnableClient {
  readonly name: string;
  readonly provider: string;
  readonly #options: LeafClientOptions;
  readonly #health: ClientHealth;

  constructor(options: LeafClientOptions) {
    this.name = options.name;
    this.provider = options.provider;
    this.#options = options;
    this.#health = new ClientHealth({ client: options.name, breaker: options.breaker, retryBudget: options.retryBudget });
  }

  async generate(request: ChatRequest, scope: CallScope): Promise<ClientResult> {
    this.#checkNeeds(request, scope);
    const model = this.#build(scope);
    for (let retry = 0; ; retry++) {
      scope.throwIfAborted();
      const pending = this.#health.admit(scope);
      const admission = pending instanceof Promise ? await pending : pending;
      if (!admission.admitted) throw this.#skipped(scope, model.model, admission);
      const probe = admission.probe;
      const startedAt = performance.now();
      const attempt = this.#attemptAbort(scope);
      try {
        const call: CallOptions = { signal: attempt.signal, client: this.name };
        const result = await attempt.race(model.doGenerate(request, call));
        this.#record(scope, model.model, startedAt, undefined, undefined);
        this.#health.count(scope, 'success', probe);
        this.#health.refund(scope, retry);
        return { ...result, client: this.name, provider: this.provider, model: model.model };
      } catch (thrown) {
        await this.#retryOrThrow(this.#normalize(thrown, attempt, model.model), retry, scope, model.model, startedAt, probe);
      } finally {
        attempt.dispose();
      }
    }
  }

  async *stream(request: ChatRequest, scope: CallScope): AsyncGenerator<ClientStreamPart, void, undefined> {
    this.#checkNeeds(request, scope);
    const model = this.#build(scope);
    const { timeToFirstTokenTimeoutMs, idleTimeoutMs } = this.#options.http;
    for (let retry = 0; ; retry++) {
      scope.throwIfAborted();
      const pending = this.#health.admit(scope);
      const admission = pending instanceof Promise ? await pending : pending;
      if (!admission.admitted) throw this.#skipped(scope, model.model, admission);
      const probe = admission.probe;
      const startedAt = performance.now();
      const attempt = this.#attemptAbort(scope);
      let iterator: AsyncIterator<ModelStreamPart> | undefined;
      let committed = false;
      let finished = false;
      let counted = false;
      try {
        const call: CallOptions = { signal: attempt.signal, client: this.name };
        iterator = model.doStream(request, call)[Symbol.asyncIterator]();
        for (;;) {
          const next = committed
            ? await nextPart(iterator, attempt, idleTimeoutMs, 'idle_timeout_ms', this.name)
            : await nextPart(iterator, attempt, timeToFirstTokenTimeoutMs, 'time_to_first_token_timeout_ms', this.name);
          if (next.done) break;
          if (!committed) {
            committed = true;
            yield { type: 'start', client: this.name, provider: this.provider, model: model.model, attempts: scope.attempts.slice() };
          }
          if (next.value.type === 'finish') {
            // Let the provider read the vendor's stream to its end, so the connection goes back
            // to the pool instead of staying busy with an unread tail (a trailing stop event).
            await settleAfterFinish(iterator, attempt);
            finished = true;
            this.#record(scope, model.model, startedAt, undefined, undefined);
            this.#health.count(scope, 'success', probe);
            counted = true;
            this.#health.refund(scope, retry);
            yield next.value;
            return;
          }
          yield next.value;
        }
        throw new RegError({
          code: 'server',
          retryable: true,
          message: `The stream of client '${this.name}' ended without a finish part.`,
        });
      } catch (thrown) {
        const error = this.#normalize(thrown, attempt, model.model);
        counted = true;
        if (committed) {
          this.#record(scope, model.model, startedAt, error, 'committed');
          this.#health.count(scope, breakerOutcome(error), probe);
          if (scope.signal.aborted) throw scope.abortError();
          throw new StreamInterruptedError({
            message: `The stream of client '${this.name}' failed after content reached the caller: ${error.message}`,
            client: this.name,
            provider: this.provider,
            model: model.model,
            status: error.status,
            cause: error,
          });
        }
        await this.#retryOrThrow(error, retry, scope, model.model, startedAt, probe);
      } finally {
        attempt.dispose();
        // A consumer that stopped reading frees its probe slot without a verdict.
        if (!counted && probe) this.#health.count(scope, 'neutral', probe);
        if (!finished) {
          // The consumer stopped, or the attempt failed: close the upstream request now.
          attempt.abort(new AbortedError({ message: 'The stream was closed before it finished.' }));
          iterator?.return?.()?.catch(() => undefined);
        }
      }
    }
  }

  #build(scope: CallScope): ChatModel {
    try {
      return this.#options.model();
    } catch (thrown) {
      const error = RegError.isInstance(thrown)
        ? thrown
        : new RegError({ code: 'config', message: `Client '${this.name}' could not be built: ${messageOf(thrown)}`, cause: thrown });
      this.#fill(error, this.#options.modelName);
      this.#record(scope, this.#options.modelName, performance.now(), error, 'not_retryable');
      throw error;
    }
  }

  /** A request the provider cannot take is never sent: the attempt is skipped, saying why. */
  #checkNeeds(request: ChatRequest, scope: CallScope): void {
    const need = unsupportedNeed(request, this.#options.capabilities);
    if (need === undefined) return;
    const model = this.#options.modelName;
    const error = new ClientSkippedError({ client: this.name, provider: this.provider, model, reason: 'unsupported', need });
    this.#record(scope, model, performance.now(), error, undefined, 'skipped');
    throw error;
  }

  #attemptAbort(scope: CallScope): LinkedAbort {
    const ms = this.#options.http.requestTimeoutMs;
    return new LinkedAbort(scope.signal, ms === undefined ? undefined : {
      ms,
      name: 'request_timeout_ms',
      message: `An attempt of client '${this.name}' ran past request_timeout_ms (${ms} ms).`,
    });
  }

  /** The attempt's own timeout or the call's end explain a failure better than what the SDK threw. */
  #normalize(thrown: unknown, attempt: LinkedAbort, model: string): RegError {
    let error: RegError;
    if (attempt.signal.aborted) {
      const reason: unknown = attempt.signal.reason;
      error = RegError.isInstance(reason) ? reason : new AbortedError({ cause: reason });
    } else if (RegError.isInstance(thrown)) {
      error = thrown;
    } else {
      error = new RegError({
        code: 'server',
        message: `Client '${this.name}' (${this.provider}) failed: ${messageOf(thrown)}`,
        cause: thrown,
      });
    }
    return this.#fill(error, model);
  }

  #fill(error: RegError, model: string): RegError {
    error.client ??= this.name;
    error.provider ??= this.provider;
    error.model ??= model;
    return this.#options.secrets.size ? error.redact(this.#options.secrets) : error;
  }

  /**
   * Counts a failed attempt in the breaker (and a 429 in the cooldown), records it, then throws its
   * error (no retry follows) or waits out the backoff.
   */
  async #retryOrThrow(error: RegError, retry: number, scope: CallScope, model: string, startedAt: number, probe: boolean): Promise<void> {
    const cooldown = this.#health.coolDown(scope, error);
    const counted = this.#health.count(scope, breakerOutcome(error, cooldown !== undefined), probe);
    const change = counted instanceof Promise ? await counted : counted;
    const decision = change?.to === 'open' ? { gaveUp: 'circuit_open' as const } : await this.#decide(error, retry, scope, cooldown?.ms);
    this.#record(scope, model, startedAt, error, 'gaveUp' in decision ? decision.gaveUp : undefined);
    if ('gaveUp' in decision) throw error;
    this.#emitRetry(scope, retry, decision.delayMs, error);
    await sleep(decision.delayMs, scope.signal).catch(() => scope.throwIfAborted());
    // Timers and the wall clock cooldowns are kept in do not tick together (each rounds to the
    // millisecond, and the wall clock may be slewed): a retry that wakes a moment before its own
    // cooldown ends would be refused by the store and skip this client. Wait out the difference,
    // never more than the cooldown itself.
    const behind = cooldown ? cooldown.untilMs - Date.now() : 0;
    if (cooldown && behind > 0 && behind <= cooldown.ms) await sleep(behind + 1, scope.signal).catch(() => scope.throwIfAborted());
  }

  /** `asked`: the least wait before another attempt (Retry-After, or a rate-limit group's cooldown). */
  async #decide(error: RegError, retry: number, scope: CallScope, asked = error.retryAfterMs ?? 0): Promise<RetryDecision> {
    const policy = this.#options.retryPolicy;
    if (scope.signal.aborted || error.code === 'aborted') return { gaveUp: undefined };
    if (!error.retryable) return { gaveUp: 'not_retryable' };
    if (retry >= policy.maxRetries) return { gaveUp: 'max_retries' };
    if (asked > policy.maxRetryAfterMs) return { gaveUp: 'retry_after_too_long' };
    const delayMs = Math.max(retryDelayMs(policy, retry, this.#options.random), asked);
    if (performance.now() + delayMs >= scope.deadline) return { gaveUp: 'deadline' };
    if (!(await this.#health.acquireRetry(scope, error.code === 'timeout'))) return { gaveUp: 'retry_budget' };
    return { delayMs };
  }

  /** Records a skipped attempt (no request was made); returns the error that says why. */
  #skipped(scope: CallScope, model: string, refused: Extract<Admission, { admitted: false }>): RegError {
    const error = this.#health.skipped(model, this.provider, refused);
    this.#record(scope, model, performance.now(), error, undefined, 'skipped');
    return error;
  }

  #record(
    scope: CallScope,
    model: string,
    startedAt: number,
    error: RegError | undefined,
    gaveUp: Attempt['gaveUp'],
    status: Attempt['status'] = error ? 'failure' : 'success',
  ): void {
    const attempt: Attempt = {
      client: this.name,
      provider: this.provider,
      model,
      status,
      durationMs: performance.now() - startedAt,
    };
    if (error) {
      attempt.code = error.code;
      if (error.status !== undefined) attempt.httpStatus = error.status;
      attempt.message = error.message;
      if (error.retryAfterMs !== undefined) attempt.retryAfterMs = error.retryAfterMs;
      if (gaveUp) attempt.gaveUp = gaveUp;
    }
    scope.attempts.push(attempt);
    if (scope.events.has('attempt')) scope.events.emit('attempt', { call: scope.id, attempt });
  }

  #emitRetry(scope: CallScope, retry: number, delayMs: number, error: RegError): void {
    if (scope.events.has('retry')) {
      scope.events.emit('retry', { call: scope.id, client: this.name, retry: retry + 1, delayMs, error });
    }
  }
}

function nextPart(
  iterator: AsyncIterator<ModelStreamPart>,
  attempt: LinkedAbort,
  timeoutMs: number | undefined,
  timeoutName: string,
  client: string,
): Promise<IteratorResult<ModelStreamPart>> {
  // Not an async function: the common path hands back the race itself, without another promise.
  if (timeoutMs === undefined) return attempt.race(iterator.next());
  const timer = setTimeout(() => {
    attempt.abort(new TimeoutError({
      timeout: timeoutName,
      retryable: true,
      message: `The stream of client '${client}' waited past ${timeoutName} (${timeoutMs} ms).`,
    }));
  }, timeoutMs);
  const next = attempt.race(iterator.next());
  next.then(
    () => clearTimeout(timer),
    () => clearTimeout(timer),
  );
  return next;
}

/** After `finish`, one more pull ends a well-behaved provider's stream; anything else is closed. */
async function settleAfterFinish(iterator: AsyncIterator<ModelStreamPart>, attempt: LinkedAbort): Promise<void> {
  try {
    const after = await attempt.race(iterator.next());
    if (!after.done) await iterator.return?.();
  } catch {
    // The answer is complete; a failure while reading the vendor's tail changes nothing.
  }
}

function messageOf(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
