import type { ConfigIssue } from '../errors/errors.js';
import type { CallScope } from '../registry/call-scope.js';
import type { ClientResult, ClientStreamPart, RunnableClient } from '../registry/runnable-client.js';
import type { ChatRequest } from '../spec.js';
import {
  defineStrategy,
  parseStrategyMembers,
  strategyScope,
  throwIfIssues,
  type StrategyContext,
  type StrategyMembers,
} from './strategy.js';

const PROVIDER_NAME = 'round-robin';

interface RoundRobinOptions extends StrategyMembers {
  /** The member index the first call goes to. */
  start: number;
}

/**
 * `round-robin { strategy: [A, B, ...], start? }`: each call goes to the next member, by one atomic
 * cursor per client in the registry's StateStore. It does not fail over: wrap it in a fallback.
 */
export const roundRobin = defineStrategy<RoundRobinOptions>({
  name: PROVIDER_NAME,
  parseOptions(raw, context) {
    const issues: ConfigIssue[] = [];
    const members = parseStrategyMembers(raw, context, issues, ['start']);
    const start = raw.start ?? 0;
    if (!(typeof start === 'number' && Number.isInteger(start) && start >= 0)) {
      issues.push({ path: `${context.path}.start`, message: 'must be a member index (an integer >= 0)' });
    } else if (members.strategy.length > 0 && start >= members.strategy.length) {
      issues.push({ path: `${context.path}.start`, message: `must be below the number of members (${members.strategy.length})` });
    }
    throwIfIssues(issues);
    return { ...members, start: start as number };
  },
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
      const member = await this.#next(scope);
      return await member.generate(request, scope);
    } finally {
      if (scope !== parent) scope.dispose();
    }
  }

  async *stream(request: ChatRequest, parent: CallScope): AsyncGenerator<ClientStreamPart, void, undefined> {
    const scope = strategyScope(parent, { name: this.name, totalTimeoutMs: this.#options.totalTimeoutMs });
    try {
      const member = await this.#next(scope);
      yield* member.stream(request, scope);
    } finally {
      if (scope !== parent) scope.dispose();
    }
  }

  async #next(scope: CallScope): Promise<RunnableClient> {
    const members = this.#options.strategy;
    const turn = await scope.store.increment(`round-robin:${this.name}`);
    return this.#context.resolve(members[(this.#options.start + turn) % members.length]!);
  }

}
