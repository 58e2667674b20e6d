import { OptionReader } from '../config/option-reader.js';
import { RegError } from '../errors/reg-error.js';
import type { CallScope, ProviderContext } from '../spec.js';

/** The options every strategy shares. */
export interface StrategyMembers {
  /** Member references: client names or `provider/model`. */
  strategy: string[];
  /** Bounds every member together (BAML's name). */
  totalTimeoutMs: number | undefined;
}

const SHARED_KEYS = ['strategy', 'total_timeout_ms'];

/**
 * Reads a strategy's options: the shared `strategy` and `total_timeout_ms`, then `read` for the
 * strategy's own (declared in `own`); anything else is refused. Throws one ConfigError for all.
 */
export function parseStrategyOptions<Own>(
  raw: Record<string, unknown>,
  context: ProviderContext,
  own: { keys: readonly string[]; read(options: OptionReader, members: StrategyMembers): Own },
): StrategyMembers & Own {
  const options = new OptionReader(raw, context);
  const members: string[] = [];
  const strategy = options.raw('strategy')?.value;
  if (!Array.isArray(strategy)) {
    options.fail('strategy', 'must be a list of client names or provider/model references');
  } else if (strategy.length === 0) {
    options.fail('strategy', 'must name at least one client');
  } else {
    strategy.forEach((member, index) => {
      if (typeof member === 'string' && member.trim() !== '') members.push(member);
      else options.fail(`strategy[${index}]`, 'must be a client name or provider/model');
    });
  }
  const shared: StrategyMembers = { strategy: members, totalTimeoutMs: options.number('total_timeout_ms', { min: 0, exclusiveMin: true }) };
  const parsed = { ...shared, ...own.read(options, shared) };
  options.rejectUnknown([...SHARED_KEYS, ...own.keys], 'is not an option of this strategy');
  options.done();
  return parsed;
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
