import { ConfigError, type ConfigIssue } from '../errors/errors.js';
import { RegError } from '../errors/reg-error.js';
import type { CallScope } from '../registry/call-scope.js';
import type { RunnableClient } from '../registry/runnable-client.js';
import type { ProviderContext } from '../spec.js';

export interface StrategyContext extends ProviderContext {
  /** The client a member reference (name or `provider/model`) stands for, built on first use. */
  resolve(reference: string): RunnableClient | Promise<RunnableClient>;
}

/**
 * A provider whose options name other clients. It builds a RunnableClient over its members, so
 * strategies nest without special cases.
 */
export interface StrategyDefinition<Options = unknown> {
  readonly name: string;
  readonly kind: 'strategy';
  parseOptions(raw: Record<string, unknown>, context: ProviderContext): Options;
  /** The member references, for validation and cycle detection. */
  members(options: Options): string[];
  createClient(options: Options, context: StrategyContext): RunnableClient;
}

export function defineStrategy<Options>(definition: Omit<StrategyDefinition<Options>, 'kind'>): StrategyDefinition<Options> {
  return Object.freeze({ ...definition, kind: 'strategy' as const });
}

export function isStrategyDefinition(value: unknown): value is StrategyDefinition {
  return typeof value === 'object' && value !== null && (value as StrategyDefinition).kind === 'strategy';
}

export interface StrategyMembers {
  strategy: string[];
  totalTimeoutMs: number | undefined;
}

/** Parses the options every strategy shares: `strategy` (member references) and `total_timeout_ms`. */
export function parseStrategyMembers(
  raw: Record<string, unknown>,
  context: ProviderContext,
  issues: ConfigIssue[],
  allowed: readonly string[] = [],
): StrategyMembers {
  const strategy = raw.strategy;
  const members: string[] = [];
  if (!Array.isArray(strategy)) {
    issues.push({ path: `${context.path}.strategy`, message: 'must be a list of client names or provider/model references' });
  } else if (strategy.length === 0) {
    issues.push({ path: `${context.path}.strategy`, message: 'must name at least one client' });
  } else {
    strategy.forEach((member, index) => {
      if (typeof member === 'string' && member.trim() !== '') members.push(member);
      else issues.push({ path: `${context.path}.strategy[${index}]`, message: 'must be a client name or provider/model' });
    });
  }
  const total = raw.total_timeout_ms;
  if (total !== undefined && !(typeof total === 'number' && Number.isFinite(total) && total > 0)) {
    issues.push({ path: `${context.path}.total_timeout_ms`, message: 'must be a positive number of milliseconds' });
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'strategy' && key !== 'total_timeout_ms' && !allowed.includes(key)) {
      issues.push({ path: `${context.path}.${key}`, message: `is not an option of this strategy (known: ${['strategy', 'total_timeout_ms', ...allowed].join(', ')})` });
    }
  }
  return { strategy: members, totalTimeoutMs: typeof total === 'number' ? total : undefined };
}

export function throwIfIssues(issues: ConfigIssue[]): void {
  if (issues.length > 0) throw new ConfigError(issues);
}

/** The scope a strategy's members run in: the call's, bounded by `total_timeout_ms` when set. */
export function strategyScope(parent: CallScope, strategy: { name: string; totalTimeoutMs: number | undefined }): CallScope {
  const ms = strategy.totalTimeoutMs;
  return ms === undefined ? parent : parent.child({ ms, name: `total_timeout_ms of '${strategy.name}'` });
}

/** What a member threw, as a RegError (anything else is a `server` error of that member). */
export function memberError(thrown: unknown, member: string | undefined): RegError {
  return RegError.isInstance(thrown) ? thrown : new RegError({ code: 'server', message: String(thrown), cause: thrown, client: member });
}
