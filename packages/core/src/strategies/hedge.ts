import { AbortedError, AllClientsFailedError } from '../errors/errors.js';
import { RegError } from '../errors/reg-error.js';
import { sleep } from '../registry/abort.js';
import { defineProvider, type CallScope, type ChatRequest, type ClientResult, type ClientStreamPart, type RunnableClient, type StrategyContext } from '../spec.js';
import { memberError, parseStrategyOptions, strategyScope, type StrategyMembers } from './strategy-members.js';

const PROVIDER_NAME = 'hedge';
const DEFAULT_DELAY_MS = 1000;

export interface HedgeOptions extends StrategyMembers {
  /** How long a member may go without content before the next one starts as well. */
  delayMs: number;
}

/**
 * `hedge { strategy: [A, B, ...], delay_ms }`: A starts; whenever the members running have produced
 * no content for `delay_ms` (or one of them failed), the next member starts too. The first to
 * produce content wins and the others are cancelled at once (their requests closed).
 */
export const hedge = defineProvider<HedgeOptions>({
  name: PROVIDER_NAME,
  kind: 'strategy',
  parseOptions: (raw, context) =>
    parseStrategyOptions(raw, context, {
      keys: ['delay_ms'],
      read: (options) => ({ delayMs: options.number('delay_ms', { min: 0 }) ?? DEFAULT_DELAY_MS }),
    }),
  members: (options) => options.strategy,
  createClient: (options, context) => new HedgeClient(context.client, options, context),
});

/** One started member: its own cancellable scope, and how its race ended. */
interface Branch {
  index: number;
  scope: CallScope;
}

type Settled<T> = { branch: Branch; ok: true; value: T } | { branch: Branch; ok: false; error: RegError };

class HedgeClient implements RunnableClient {
  readonly provider = PROVIDER_NAME;
  readonly name: string;
  readonly #options: HedgeOptions;
  readonly #context: StrategyContext;

  constructor(name: string, options: HedgeOptions, context: StrategyContext) {
    this.name = name;
    this.#options = options;
    this.#context = context;
  }

  async generate(request: ChatRequest, parent: CallScope): Promise<ClientResult> {
    const scope = strategyScope(parent, { name: this.name, totalTimeoutMs: this.#options.totalTimeoutMs });
    try {
      const { value } = await this.#race(scope, async (branch) => {
        const member = await this.#context.resolve(this.#options.strategy[branch.index]!);
        return member.generate(request, branch.scope);
      });
      return value;
    } finally {
      if (scope !== parent) scope.dispose();
    }
  }

  async *stream(request: ChatRequest, parent: CallScope): AsyncGenerator<ClientStreamPart, void, undefined> {
    const scope = strategyScope(parent, { name: this.name, totalTimeoutMs: this.#options.totalTimeoutMs });
    const iterators = new Map<Branch, AsyncIterator<ClientStreamPart>>();
    try {
      // Each branch runs until its first part (`start`, right before content); that decides the race.
      const { winner, value: first } = await this.#race(scope, async (branch) => {
        const member = await this.#context.resolve(this.#options.strategy[branch.index]!);
        const iterator = member.stream(request, branch.scope)[Symbol.asyncIterator]();
        iterators.set(branch, iterator);
        const next = await iterator.next();
        if (next.done) throw new RegError({ code: 'server', retryable: true, message: `Client '${member.name}' ended its stream without content.` });
        return next.value;
      });
      for (const [branch, iterator] of iterators) if (branch !== winner) void iterator.return?.(undefined)?.catch(() => undefined);
      yield first;
      const iterator = iterators.get(winner)!;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      for (const iterator of iterators.values()) void iterator.return?.(undefined)?.catch(() => undefined);
      if (scope !== parent) scope.dispose();
    }
  }

  /**
   * Starts member 0, then the next member each time `delay_ms` passes with no winner or a running
   * member fails; resolves with the first success and cancels every other branch.
   */
  async #race<T>(scope: CallScope, run: (branch: Branch) => Promise<T>): Promise<{ winner: Branch; value: T }> {
    const members = this.#options.strategy;
    const running = new Map<Branch, Promise<Settled<T>>>();
    const errors: RegError[] = [];
    const firstAttempt = scope.attempts.length;
    let nextIndex = 0;
    const start = () => {
      const branch: Branch = { index: nextIndex++, scope: scope.branch() };
      running.set(
        branch,
        run(branch).then(
          (value): Settled<T> => ({ branch, ok: true, value }),
          (error: unknown): Settled<T> => ({ branch, ok: false, error: memberError(error, this.#options.strategy[branch.index]) }),
        ),
      );
      if (nextIndex > 1 && scope.events.has('fallback')) {
        scope.events.emit('fallback', { call: scope.id, client: this.name, from: members[nextIndex - 2]!, to: members[branch.index]!, error: hedgeError(this.name, this.#options.delayMs) });
      }
    };
    const timerAbort = new AbortController();
    try {
      start();
      for (;;) {
        scope.throwIfAborted();
        const contenders: Array<Promise<Settled<T> | 'delay'>> = [...running.values()];
        if (nextIndex < members.length) contenders.push(sleep(this.#options.delayMs, timerAbort.signal).then(() => 'delay' as const, () => 'delay' as const));
        const settled = await raceScope(contenders, scope);
        if (settled === 'delay') {
          start();
          continue;
        }
        running.delete(settled.branch);
        if (settled.ok) {
          cancelAll(running.keys(), `Hedge '${this.name}': another member answered first.`);
          settled.branch.scope.dispose();
          return { winner: settled.branch, value: settled.value };
        }
        settled.branch.scope.dispose();
        if (settled.error.code === 'aborted' && scope.signal.aborted) throw scope.abortError();
        errors.push(settled.error);
        if (nextIndex < members.length) start();
        else if (running.size === 0) throw new AllClientsFailedError({ client: this.name, attempts: scope.attempts.slice(firstAttempt), errors });
      }
    } catch (thrown) {
      cancelAll(running.keys(), `Hedge '${this.name}' ended.`);
      throw thrown;
    } finally {
      timerAbort.abort();
    }
  }
}

/** The reason a hedge starts its next member, for the `fallback` event. */
function hedgeError(client: string, delayMs: number): RegError {
  return new RegError({ code: 'timeout', retryable: true, message: `Hedge '${client}': no content within delay_ms (${delayMs} ms); starting the next member as well.` });
}

/** Closes the branches still running (their requests in flight end at once). */
function cancelAll(branches: Iterable<Branch>, message: string): void {
  for (const branch of branches) {
    branch.scope.cancel(new AbortedError({ message }));
    branch.scope.dispose();
  }
}

/** The first of `contenders` to settle, or the call's abort. */
function raceScope<T>(contenders: Array<Promise<T>>, scope: CallScope): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(scope.abortError());
    if (scope.signal.aborted) return onAbort();
    scope.signal.addEventListener('abort', onAbort, { once: true });
    Promise.race(contenders).then(
      (value) => {
        scope.signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        scope.signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
