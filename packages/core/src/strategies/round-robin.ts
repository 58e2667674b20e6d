import { AllClientsFailedError, ClientSkippedError } from '../errors/errors.js';
import type { RegError } from '../errors/reg-error.js';
import { defineProvider, type CallScope, type ChatRequest, type ClientResult, type ClientStreamPart, type RunnableClient, type StrategyContext } from '../spec.js';
import { parseStrategyOptions, strategyScope, type StrategyMembers } from './strategy-members.js';

const PROVIDER_NAME = 'round-robin';

interface RoundRobinOptions extends StrategyMembers {
  /** The member index the first call goes to. */
  start: number;
}

/**
 * `round-robin { strategy: [A, B, ...], start? }`: each call goes to the next member, by one atomic
 * cursor per client in the registry's StateStore. A member whose breaker is open (or that cools
 * down after a 429) is skipped for the next; otherwise it does not fail over: wrap it in a fallback.
 */
export const roundRobin = defineProvider<RoundRobinOptions>({
  name: PROVIDER_NAME,
  kind: 'strategy',
  parseOptions: (raw, context) =>
    parseStrategyOptions(raw, context, {
      keys: ['start'],
      read(options, members) {
        const start = options.raw('start')?.value ?? 0;
        if (!(typeof start === 'number' && Number.isInteger(start) && start >= 0)) {
          options.fail('start', 'must be a member index (an integer >= 0)');
        } else if (members.strategy.length > 0 && start >= members.strategy.length) {
          options.fail('start', `must be below the number of members (${members.strategy.length})`);
        }
        return { start: typeof start === 'number' ? start : 0 };
      },
    }),
  members: (options) => options.strategy,
  createClient: (options, context) => new RoundRobinClient(context.client, options, context),
});

class RoundRobinClient implements RunnableClient {
  readonly provider = PROVIDER_NAME;
  readonly name: string;
  readonly #options: RoundRobinOptions;
  readonly #context: StrategyContext;

  constructor(name: string, options: RoundRobinOptions, context: StrategyContext) {
    this.name = name;
    this.#options = options;
    this.#context = context;
  }

  async generate(request: ChatRequest, parent: CallScope): Promise<ClientResult> {
    const scope = strategyScope(parent, { name: this.name, totalTimeoutMs: this.#options.totalTimeoutMs });
    try {
      const first = await this.#turn(scope);
      const firstAttempt = scope.attempts.length;
      const skipped: RegError[] = [];
      for (let offset = 0; ; offset++) {
        const member = await this.#member(first + offset);
        try {
          return await member.generate(request, scope);
        } catch (thrown) {
          this.#onSkip(thrown, scope, skipped, firstAttempt);
        }
      }
    } finally {
      if (scope !== parent) scope.dispose();
    }
  }

  async *stream(request: ChatRequest, parent: CallScope): AsyncGenerator<ClientStreamPart, void, undefined> {
    const scope = strategyScope(parent, { name: this.name, totalTimeoutMs: this.#options.totalTimeoutMs });
    try {
      const first = await this.#turn(scope);
      const firstAttempt = scope.attempts.length;
      const skipped: RegError[] = [];
      for (let offset = 0; ; offset++) {
        const member = await this.#member(first + offset);
        let started = false;
        try {
          for await (const part of member.stream(request, scope)) {
            started = true;
            yield part;
          }
          return;
        } catch (thrown) {
          if (started) throw thrown;
          this.#onSkip(thrown, scope, skipped, firstAttempt);
        }
      }
    } finally {
      if (scope !== parent) scope.dispose();
    }
  }

  /** The member index this call starts at: the shared cursor's turn. */
  async #turn(scope: CallScope): Promise<number> {
    const turn = await scope.store.increment(`round-robin:${this.name}`);
    return this.#options.start + turn;
  }

  #member(index: number): RunnableClient | Promise<RunnableClient> {
    const members = this.#options.strategy;
    return this.#context.resolve(members[index % members.length]!);
  }

  /**
   * A member skipped without a request (breaker open, cooling down) passes the call to the next;
   * any other failure is the call's (round-robin does not fail over). When every member was
   * skipped, the call fails listing them.
   */
  #onSkip(thrown: unknown, scope: CallScope, skipped: RegError[], firstAttempt: number): void {
    if (!ClientSkippedError.isSkip(thrown) || scope.signal.aborted) throw thrown;
    skipped.push(thrown as RegError);
    if (skipped.length < this.#options.strategy.length) return;
    throw new AllClientsFailedError({ client: this.name, attempts: scope.attempts.slice(firstAttempt), errors: skipped });
  }
}
