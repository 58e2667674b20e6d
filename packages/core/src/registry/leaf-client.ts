import { AbortedError, StreamInterruptedError, TimeoutError } from '../errors/errors.js';
import { RegError } from '../errors/reg-error.js';
import { acquireRetry, refundRetry, type RetryBudget } from '../retry/retry-budget.js';
import { retryDelayMs, type RetryPolicy } from '../retry/retry-policy.js';
import type { CallOptions, ChatModel, ChatRequest, HttpTimeouts, ModelStreamPart } from '../spec.js';
import { LinkedAbort, sleep } from './abort.js';
import type { CallScope } from './call-scope.js';
import type { ClientResult, ClientStreamPart, RunnableClient } from './runnable-client.js';
import type { Attempt } from './types.js';

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
  /** The client's own secret option values, scrubbed from every error by value. */
  secrets: ReadonlySet<string>;
  random: () => number;
}

type RetryDecision = { delayMs: number } | { gaveUp: NonNullable<Attempt['gaveUp']> | undefined };

/** One model behind its retry policy, retry budget and per-attempt timeouts. */
export class LeafClient implements RunnableClient {
  readonly name: string;
  readonly provider: string;
  readonly #options: LeafClientOptions;

  constructor(options: LeafClientOptions) {
    this.name = options.name;
    this.provider = options.provider;
    this.#options = options;
  }

  async generate(request: ChatRequest, scope: CallScope): Promise<ClientResult> {
    const model = this.#build(scope);
    for (let retry = 0; ; retry++) {
      scope.throwIfAborted();
      const startedAt = performance.now();
      const attempt = this.#attemptAbort(scope);
      try {
        const call: CallOptions = { signal: attempt.signal, http: this.#options.http, client: this.name };
        const result = await attempt.race(model.doGenerate(request, call));
        this.#record(scope, model.model, startedAt, undefined, undefined);
        this.#refund(scope, retry);
        return { ...result, client: this.name, provider: this.provider, model: model.model };
      } catch (thrown) {
        await this.#retryOrThrow(this.#normalize(thrown, attempt, model.model), retry, scope, model.model, startedAt);
      } finally {
        attempt.dispose();
      }
    }
  }

  async *stream(request: ChatRequest, scope: CallScope): AsyncGenerator<ClientStreamPart, void, undefined> {
    const model = this.#build(scope);
    const { timeToFirstTokenTimeoutMs, idleTimeoutMs } = this.#options.http;
    for (let retry = 0; ; retry++) {
      scope.throwIfAborted();
      const startedAt = performance.now();
      const attempt = this.#attemptAbort(scope);
      let iterator: AsyncIterator<ModelStreamPart> | undefined;
      let committed = false;
      let finished = false;
      try {
        const call: CallOptions = { signal: attempt.signal, http: this.#options.http, client: this.name };
        iterator = model.doStream(request, call)[Symbol.asyncIterator]();
        for (;;) {
          const next = committed
            ? await nextPart(iterator, attempt, idleTimeoutMs, 'idle_timeout_ms', this.name)
            : await nextPart(iterator, attempt, timeToFirstTokenTimeoutMs, 'time_to_first_token_timeout_ms', this.name);
          if (next.done) break;
          if (!committed) {
            committed = true;
            yield { type: 'start', client: this.name, provider: this.provider, model: model.model };
          }
          if (next.value.type === 'finish') {
            // Let the provider read the vendor's stream to its end, so the connection goes back
            // to the pool instead of staying busy with an unread tail (a trailing stop event).
            await settleAfterFinish(iterator, attempt);
            finished = true;
            this.#record(scope, model.model, startedAt, undefined, undefined);
            this.#refund(scope, retry);
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
        if (committed) {
          this.#record(scope, model.model, startedAt, error, 'committed');
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
        await this.#retryOrThrow(error, retry, scope, model.model, startedAt);
      } finally {
        attempt.dispose();
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

  /** Records a failed attempt, then throws its error (no retry follows) or waits out the backoff. */
  async #retryOrThrow(error: RegError, retry: number, scope: CallScope, model: string, startedAt: number): Promise<void> {
    const decision = await this.#decide(error, retry, scope);
    this.#record(scope, model, startedAt, error, 'gaveUp' in decision ? decision.gaveUp : undefined);
    if ('gaveUp' in decision) throw error;
    this.#emitRetry(scope, retry, decision.delayMs, error);
    await sleep(decision.delayMs, scope.signal).catch(() => scope.throwIfAborted());
  }

  async #decide(error: RegError, retry: number, scope: CallScope): Promise<RetryDecision> {
    const policy = this.#options.retryPolicy;
    if (scope.signal.aborted || error.code === 'aborted') return { gaveUp: undefined };
    if (!error.retryable) return { gaveUp: 'not_retryable' };
    if (retry >= policy.maxRetries) return { gaveUp: 'max_retries' };
    const asked = error.retryAfterMs ?? 0;
    if (asked > policy.maxRetryAfterMs) return { gaveUp: 'retry_after_too_long' };
    const delayMs = Math.max(retryDelayMs(policy, retry, this.#options.random), asked);
    if (performance.now() + delayMs >= scope.deadline) return { gaveUp: 'deadline' };
    const budget = this.#options.retryBudget;
    if (budget && !(await acquireRetry(scope.store, this.name, budget, error.code === 'timeout'))) {
      return { gaveUp: 'retry_budget' };
    }
    return { delayMs };
  }

  #refund(scope: CallScope, retries: number): void {
    const budget = this.#options.retryBudget;
    if (!budget) return;
    const lastError = retries > 0 ? scope.attempts.at(-2) : undefined;
    refundRetry(scope.store, this.name, budget, retries, lastError?.code === 'timeout');
  }

  #record(scope: CallScope, model: string, startedAt: number, error: RegError | undefined, gaveUp: Attempt['gaveUp']): void {
    const attempt: Attempt = {
      client: this.name,
      provider: this.provider,
      model,
      status: error ? 'failure' : 'success',
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
