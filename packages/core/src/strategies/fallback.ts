import { AllClientsFailedError } from '../errors/errors.js';
import type { RegError } from '../errors/reg-error.js';
import { defineProvider, type CallScope, type ChatRequest, type ClientResult, type ClientStreamPart, type RunnableClient, type StrategyContext } from '../spec.js';
import { memberError, parseStrategyOptions, strategyScope, type StrategyMembers } from './strategy-members.js';

const PROVIDER_NAME = 'fallback';

/** `fallback { strategy: [A, B, ...] }`: each member in order, each with its own retries, until one answers. */
export const fallback = defineProvider<StrategyMembers>({
  name: PROVIDER_NAME,
  kind: 'strategy',
  parseOptions: (raw, context) => parseStrategyOptions(raw, context, { keys: [], read: () => ({}) }),
  members: (options) => options.strategy,
  createClient: (options, context) => new FallbackClient(context.client, options, context),
});

class FallbackClient implements RunnableClient {
  readonly provider = PROVIDER_NAME;
  readonly name: string;
  readonly #options: StrategyMembers;
  readonly #context: StrategyContext;

  constructor(name: string, options: StrategyMembers, context: StrategyContext) {
    this.name = name;
    this.#options = options;
    this.#context = context;
  }

  async generate(request: ChatRequest, parent: CallScope): Promise<ClientResult> {
    const scope = strategyScope(parent, { name: this.name, totalTimeoutMs: this.#options.totalTimeoutMs });
    const firstAttempt = scope.attempts.length;
    const errors: RegError[] = [];
    try {
      const members = this.#options.strategy;
      for (let index = 0; index < members.length; index++) {
        scope.throwIfAborted();
        try {
          const member = await this.#context.resolve(members[index]!);
          return await member.generate(request, scope);
        } catch (thrown) {
          errors.push(this.#onMemberFailure(thrown, scope, index));
        }
      }
      throw new AllClientsFailedError({ client: this.name, attempts: scope.attempts.slice(firstAttempt), errors });
    } finally {
      if (scope !== parent) scope.dispose();
    }
  }

  async *stream(request: ChatRequest, parent: CallScope): AsyncGenerator<ClientStreamPart, void, undefined> {
    const scope = strategyScope(parent, { name: this.name, totalTimeoutMs: this.#options.totalTimeoutMs });
    const firstAttempt = scope.attempts.length;
    const errors: RegError[] = [];
    try {
      const members = this.#options.strategy;
      for (let index = 0; index < members.length; index++) {
        scope.throwIfAborted();
        let started = false;
        try {
          const member = await this.#context.resolve(members[index]!);
          for await (const part of member.stream(request, scope)) {
            started = true;
            yield part;
          }
          return;
        } catch (thrown) {
          // After content reached the caller, nothing is retried or repeated.
          if (started) throw thrown;
          errors.push(this.#onMemberFailure(thrown, scope, index));
        }
      }
      throw new AllClientsFailedError({ client: this.name, attempts: scope.attempts.slice(firstAttempt), errors });
    } finally {
      if (scope !== parent) scope.dispose();
    }
  }

  /** Any failure but the end of the call moves on; returns the member's error. */
  #onMemberFailure(thrown: unknown, scope: CallScope, index: number): RegError {
    if (scope.signal.aborted) throw scope.abortError();
    const error = memberError(thrown, this.#options.strategy[index]);
    if (error.code === 'aborted') throw error;
    const next = this.#options.strategy[index + 1];
    if (next !== undefined && scope.events.has('fallback')) {
      scope.events.emit('fallback', { call: scope.id, client: this.name, from: this.#options.strategy[index]!, to: next, error });
    }
    return error;
  }
}
