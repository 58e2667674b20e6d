import { splitClientOptions } from '../config/parse-client-options.js';
import { ConfigError, type ConfigIssue } from '../errors/errors.js';
import { collectSecrets } from '../errors/redact.js';
import { NO_RETRY, type RetryPolicy } from '../retry/retry-policy.js';
import { isStrategy, type ChatModel, type ConnectionGuard, type ModelProvider, type Provider, type ProviderContext, type RunnableClient } from '../spec.js';
import { findCycle, type MembersOf } from './client-graph.js';
import { LeafClient } from './leaf-client.js';
import { cachedModel } from './model-cache.js';

/** A client as the registry keeps it: what the config said, and the client built from it. */
export interface ClientEntry {
  name: string;
  provider: string;
  options: Record<string, unknown>;
  retryPolicy: string | undefined;
  /** Where the client was defined, for error paths: `clients[2]`, `addLlmClient('Fast')`. */
  path: string;
  /** For a `provider/model` reference: the model. */
  shorthandModel?: string;
  runnable?: RunnableClient | Promise<RunnableClient>;
}

/** What building a client needs from its registry. */
export interface BuildContext {
  env: Readonly<Record<string, string | undefined>>;
  guard: ConnectionGuard | undefined;
  /** `explicit`: providers that declare ambient credentials are refused. */
  credentials: 'any' | 'explicit';
  policies: ReadonlyMap<string, RetryPolicy>;
  random: () => number;
  /** The client a member reference stands for, built on first use. */
  resolve(reference: string): RunnableClient | Promise<RunnableClient>;
  membersOf: MembersOf;
}

/** The options a client's provider gets: its own, or the shorthand's for `provider/model`. */
export function entryOptions(entry: ClientEntry, provider: Provider): Record<string, unknown> {
  if (entry.shorthandModel === undefined) return entry.options;
  const shorthand = isStrategy(provider) ? undefined : provider.shorthandOptions?.(entry.shorthandModel);
  return shorthand ?? { model: entry.shorthandModel };
}

/**
 * Builds the runnable client of a config entry: a strategy over its members, or a leaf (its model
 * is built on first call, and shared with every client of the same provider, options and
 * environment). Every problem is one ConfigError, each with its path.
 */
export function buildClient(entry: ClientEntry, provider: Provider, context: BuildContext): RunnableClient {
  const options = entryOptions(entry, provider);
  const providerContext: ProviderContext = { client: entry.name, path: `${entry.path}.options`, env: context.env, http: {} };
  if (context.guard) providerContext.connectionGuard = context.guard;
  const issues: ConfigIssue[] = [];
  if (isStrategy(provider)) {
    const parsed = parseWith(() => provider.parseOptions(options, providerContext), issues);
    const cycle = findCycle(entry.name, context.membersOf);
    if (cycle) issues.push({ path: `${providerContext.path}.strategy`, message: `forms a cycle: ${cycle.join(' -> ')}` });
    if (entry.retryPolicy !== undefined) {
      issues.push({ path: `${entry.path}.retry_policy`, message: 'a strategy has no retry policy of its own; set it on its members' });
    }
    if (issues.length > 0) throw new ConfigError(issues);
    return provider.createClient(parsed, { ...providerContext, resolve: context.resolve });
  }
  if (context.credentials === 'explicit' && provider.credentials !== 'explicit') {
    issues.push({ path: `${entry.path}.provider`, message: `'${provider.name}' uses ambient server credentials (beyond its options and this registry's environment) and is not available here` });
  }
  if (context.guard && provider.guardsConnections !== true) {
    issues.push({ path: `${entry.path}.provider`, message: `'${provider.name}' cannot be used here: this registry restricts where clients connect, and the provider does not route its connections through that check` });
  }
  if (provider.requiresModel !== false && (typeof options.model !== 'string' || options.model === '')) {
    issues.push({ path: `${providerContext.path}.model`, message: `is required for provider '${provider.name}'` });
  }
  const core = splitClientOptions(options, providerContext.path, issues);
  providerContext.http = core.http;
  const parsed = parseWith(() => provider.parseOptions(core.providerOptions, providerContext), issues);
  const retryPolicy = entry.retryPolicy === undefined ? NO_RETRY : context.policies.get(entry.retryPolicy);
  if (!retryPolicy) {
    issues.push({ path: `${entry.path}.retry_policy`, message: `'${entry.retryPolicy}' is not a retry policy (known: ${[...context.policies.keys()].join(', ')})` });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return new LeafClient({
    name: entry.name,
    provider: provider.name,
    modelName: typeof options.model === 'string' ? options.model : provider.name,
    model: leafModel(provider, parsed, providerContext, context),
    retryPolicy: retryPolicy!,
    retryBudget: core.retryBudget,
    breaker: core.breaker,
    http: core.http,
    secrets: collectSecrets(options),
    capabilities: provider.capabilities,
    random: context.random,
  });
}

/** The leaf's model, built on first use (a missing key fails that call, not the registry). */
function leafModel(provider: ModelProvider, options: unknown, providerContext: ProviderContext, context: BuildContext): () => ChatModel {
  let model: ChatModel | undefined;
  return () =>
    (model ??= cachedModel({
      provider,
      env: context.env,
      guard: context.guard,
      key: { options, http: providerContext.http },
      create: () => provider.createModel(options, providerContext),
    }));
}

function parseWith<T>(parse: () => T, issues: ConfigIssue[]): T {
  try {
    return parse();
  } catch (error) {
    issues.push(...issuesOf(error, ''));
    return undefined as T;
  }
}

/** A thrown ConfigError's issues, or anything else as one issue at `path`. */
export function issuesOf(error: unknown, path: string): ConfigIssue[] {
  if (ConfigError.isInstance(error)) return error.issues;
  return [{ path, message: error instanceof Error ? error.message : String(error) }];
}
