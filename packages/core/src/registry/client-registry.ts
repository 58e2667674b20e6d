import { loadConfig, type LoadedClient } from '../config/load-config.js';
import { splitClientOptions } from '../config/parse-client-options.js';
import { parseRetryPolicy } from '../config/parse-retry-policy.js';
import type { RetryPolicyConfig } from '../config/config-types.js';
import { ConfigError, NoSuchClientError, type ConfigIssue } from '../errors/errors.js';
import { collectSecrets } from '../errors/redact.js';
import { RegError } from '../errors/reg-error.js';
import { EventHub, type RegistryEventHandler, type RegistryEventName } from '../events/events.js';
import { BUILT_IN_RETRY_POLICIES, NO_RETRY, type RetryPolicy } from '../retry/retry-policy.js';
import { defaultStateStore, type StateStore } from '../state/state-store.js';
import type { ChatModel, ChatRequest, ConnectionGuard, ProviderContext, ToolCall } from '../spec.js';
import { isStrategyDefinition } from '../strategies/strategy.js';
import { errorFromAbortReason } from './abort.js';
import { CallScope } from './call-scope.js';
import { LeafClient } from './leaf-client.js';
import { cachedModel } from './model-cache.js';
import { ProviderResolver, type AnyProvider } from './provider-resolver.js';
import type { ClientResult, RunnableClient } from './runnable-client.js';
import type { CallSettings, GenerateResult, StreamPart } from './types.js';

/** The client used when nothing is configured, as in BAML and Beamlens. */
export const DEFAULT_CLIENT = 'anthropic/claude-haiku-4-5-20251001';

const CLIENT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;

export interface ClientRegistryOptions {
  /** Providers given in code; they win over first-party packages and plugins of the same name. */
  providers?: readonly AnyProvider[];
  /** Packages (or paths) whose exported providers this registry may use. */
  plugins?: readonly string[];
  /** Where round-robin cursors and retry budgets live; default: one in-memory store per process. */
  store?: StateStore;
  /** Where credentials are read from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where plugins and provider packages resolve from; default: the config file's folder, else cwd. */
  baseDir?: string;
  /** Source of randomness for retry jitter (tests make it fixed). */
  random?: () => number;
  /**
   * Restricts where clients connect (every connection, redirects included); only providers that
   * declare `guardsConnections` can be used then. The gateway sets it for request-defined registries.
   */
  connectionGuard?: ConnectionGuard;
}

interface ClientEntry {
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

let nextCallId = 1;

/**
 * Named LLM clients (leaves and strategies) and how to call them. Clients are built on first use
 * and kept; the models behind them are shared by every registry with the same options.
 */
export class ClientRegistry {
  readonly #entries = new Map<string, ClientEntry>();
  readonly #shorthands = new Map<string, ClientEntry>();
  readonly #policies = new Map<string, RetryPolicy>(Object.entries(BUILT_IN_RETRY_POLICIES));
  readonly #events = new EventHub();
  readonly #resolver: ProviderResolver;
  readonly #store: StateStore;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #random: () => number;
  readonly #guard: ConnectionGuard | undefined;
  #primary: string | undefined;

  constructor(options: ClientRegistryOptions = {}) {
    this.#resolver = new ProviderResolver(options);
    this.#store = options.store ?? defaultStateStore();
    this.#env = options.env ?? process.env;
    this.#random = options.random ?? Math.random;
    this.#guard = options.connectionGuard;
  }

  /** Loads a JSON or YAML config file, or a config object, and checks every client in it. */
  static async fromConfig(source: string | object, options: ClientRegistryOptions = {}): Promise<ClientRegistry> {
    const env = options.env ?? process.env;
    const config = await loadConfig(source, env);
    const registry = new ClientRegistry({
      ...options,
      plugins: [...(options.plugins ?? []), ...config.plugins],
      baseDir: options.baseDir ?? config.baseDir,
    });
    for (const [name, policy] of config.retryPolicies) registry.#policies.set(name, policy);
    for (const client of config.clients) registry.#add(client);
    registry.#primary = config.primary;
    const issues = [...config.issues, ...(await registry.#check(config.clients))];
    if (config.primary !== undefined && !(await registry.#isReference(config.primary))) {
      issues.push({ path: 'primary', message: `'${config.primary}' is not a client (known: ${registry.clientNames().join(', ') || 'none'})` });
    }
    if (issues.length > 0) throw new ConfigError(issues, { source: config.source });
    return registry;
  }

  /** Adds a client, or replaces the client of that name (BAML's signature). */
  addLlmClient(name: string, provider: string, options: Record<string, unknown> = {}, retryPolicy?: string | null): void {
    const path = `addLlmClient('${String(name)}')`;
    const issues: ConfigIssue[] = [];
    if (typeof name !== 'string' || !CLIENT_NAME.test(name)) issues.push({ path: `${path}.name`, message: 'must be a name of letters, digits, _ . : - (no /)' });
    if (typeof provider !== 'string' || provider === '') issues.push({ path: `${path}.provider`, message: 'must be a provider name' });
    if (typeof options !== 'object' || options === null || Array.isArray(options)) issues.push({ path: `${path}.options`, message: 'must be an object' });
    if (retryPolicy !== undefined && retryPolicy !== null && typeof retryPolicy !== 'string') {
      issues.push({ path: `${path}.retry_policy`, message: 'must be the name of a retry policy' });
    }
    if (issues.length > 0) throw new ConfigError(issues);
    this.#add({ name, provider, options, retryPolicy: retryPolicy ?? undefined, path });
  }

  /** Adds or replaces a named retry policy (config form: `max_retries`, `strategy`, ...). */
  addRetryPolicy(name: string, policy: RetryPolicyConfig): void {
    const issues: ConfigIssue[] = [];
    const parsed = parseRetryPolicy(policy, `retry_policies.${name}`, issues);
    if (!parsed) throw new ConfigError(issues);
    this.#policies.set(name, parsed);
  }

  /** Selects the client calls use by default; a name that is not a client throws at once. */
  setPrimary(name: string): void {
    if (!this.#entries.has(name) && !isShorthand(name)) {
      throw new NoSuchClientError({ client: String(name), knownClients: this.clientNames() });
    }
    this.#primary = name;
  }

  /** The client calls use by default. */
  get primary(): string {
    return this.#primary ?? DEFAULT_CLIENT;
  }

  clientNames(): string[] {
    return [...this.#entries.keys()];
  }

  on<Name extends RegistryEventName>(name: Name, handler: RegistryEventHandler<Name>): () => void {
    return this.#events.on(name, handler);
  }

  async generate(request: ChatRequest, settings: CallSettings = {}): Promise<GenerateResult> {
    const reference = settings.client ?? this.primary;
    const startedAt = performance.now();
    const scope = this.#scope(settings);
    try {
      checkRequest(request);
      const found = this.#runnable(reference);
      const client = found instanceof Promise ? await found : found;
      const result = toGenerateResult(await client.generate(request, scope), scope);
      if (this.#events.has('success')) {
        this.#events.emit('success', { call: scope.id, client: reference, result, durationMs: performance.now() - startedAt });
      }
      return result;
    } catch (thrown) {
      throw this.#failed(thrown, reference, scope, startedAt);
    } finally {
      scope.dispose();
    }
  }

  /**
   * Streams a call. Retries and fallbacks happen unseen until the first content part; a failure
   * after it ends the stream with StreamInterruptedError. Breaking out of the loop cancels the call.
   */
  async *stream(request: ChatRequest, settings: CallSettings = {}): AsyncGenerator<StreamPart, void, undefined> {
    const reference = settings.client ?? this.primary;
    const startedAt = performance.now();
    const scope = this.#scope(settings);
    try {
      checkRequest(request);
      const found = this.#runnable(reference);
      const client = found instanceof Promise ? await found : found;
      let answered: { client: string; provider: string; model: string } | undefined;
      for await (const part of client.stream(request, scope)) {
        if (part.type === 'start') {
          answered = { client: part.client, provider: part.provider, model: part.model };
          yield part;
        } else if (part.type === 'finish') {
          const record = { ...answered!, attempts: scope.attempts };
          if (this.#events.has('success')) {
            const result = { ...record, usage: part.usage };
            this.#events.emit('success', { call: scope.id, client: reference, result, durationMs: performance.now() - startedAt });
          }
          yield { ...part, ...record };
        } else {
          yield part;
        }
      }
    } catch (thrown) {
      throw this.#failed(thrown, reference, scope, startedAt);
    } finally {
      scope.dispose();
    }
  }

  #scope(settings: CallSettings): CallScope {
    const { timeoutMs, signal } = settings;
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) {
      throw new ConfigError([{ path: 'timeoutMs', message: 'must be a positive number of milliseconds' }]);
    }
    return new CallScope({
      id: nextCallId++,
      events: this.#events,
      store: this.#store,
      signal,
      timeout: timeoutMs === undefined ? undefined : { ms: timeoutMs, name: 'timeoutMs' },
    });
  }

  #failed(thrown: unknown, reference: string, scope: CallScope, startedAt: number): RegError {
    const error = scope.signal.aborted
      ? errorFromAbortReason(scope.signal.reason)
      : RegError.isInstance(thrown)
        ? thrown
        : new RegError({ code: 'server', message: `Call to '${reference}' failed: ${String(thrown)}`, cause: thrown });
    if (this.#events.has('failure')) {
      this.#events.emit('failure', { call: scope.id, client: reference, error, durationMs: performance.now() - startedAt });
    }
    return error;
  }

  #add(client: LoadedClient): void {
    this.#entries.set(client.name, { ...client });
  }

  /** The client a reference stands for, built on first use; synchronous once built. */
  #runnable(reference: string): RunnableClient | Promise<RunnableClient> {
    const entry = this.#entries.get(reference) ?? this.#shorthand(reference);
    if (entry.runnable) return entry.runnable;
    const built = this.#build(entry);
    entry.runnable = built;
    if (built instanceof Promise) {
      built.then(
        (client) => {
          if (entry.runnable === built) entry.runnable = client;
        },
        () => {
          if (entry.runnable === built) entry.runnable = undefined;
        },
      );
    }
    return built;
  }

  #shorthand(reference: string): ClientEntry {
    let entry = this.#shorthands.get(reference);
    if (entry) return entry;
    const slash = reference.indexOf('/');
    if (slash <= 0 || slash === reference.length - 1) {
      throw new NoSuchClientError({ client: reference, knownClients: this.clientNames() });
    }
    entry = {
      name: reference,
      provider: reference.slice(0, slash),
      options: {},
      retryPolicy: undefined,
      path: `client '${reference}'`,
      shorthandModel: reference.slice(slash + 1),
    };
    this.#shorthands.set(reference, entry);
    return entry;
  }

  #build(entry: ClientEntry): RunnableClient | Promise<RunnableClient> {
    const definition = this.#resolver.resolve(entry.provider, entry.name);
    return definition instanceof Promise
      ? definition.then((resolved) => this.#construct(entry, resolved))
      : this.#construct(entry, definition);
  }

  #construct(entry: ClientEntry, definition: AnyProvider): RunnableClient {
    const options =
      entry.shorthandModel === undefined
        ? entry.options
        : ('shorthandOptions' in definition && definition.shorthandOptions?.(entry.shorthandModel)) || { model: entry.shorthandModel };
    const context: ProviderContext = { client: entry.name, path: `${entry.path}.options`, env: this.#env };
    if (this.#guard) context.connectionGuard = this.#guard;
    const issues: ConfigIssue[] = [];
    if (isStrategyDefinition(definition)) {
      const parsed = parseWith(() => definition.parseOptions(options, context), issues);
      const cycle = this.#findCycle(entry.name);
      if (cycle) issues.push({ path: `${context.path}.strategy`, message: `forms a cycle: ${cycle.join(' -> ')}` });
      if (entry.retryPolicy !== undefined) {
        issues.push({ path: `${entry.path}.retry_policy`, message: 'a strategy has no retry policy of its own; set it on its members' });
      }
      if (issues.length > 0) throw new ConfigError(issues);
      return definition.createClient(parsed, { ...context, resolve: (reference) => this.#runnable(reference) });
    }
    if (this.#guard && definition.guardsConnections !== true) {
      issues.push({ path: `${entry.path}.provider`, message: `'${definition.name}' cannot be used here: this registry restricts where clients connect, and the provider does not route its connections through that check` });
    }
    if (definition.requiresModel !== false && (typeof options.model !== 'string' || options.model === '')) {
      issues.push({ path: `${context.path}.model`, message: `is required for provider '${definition.name}'` });
    }
    const core = splitClientOptions(options, context.path, issues);
    const parsed = parseWith(() => definition.parseOptions(core.providerOptions, context), issues);
    const retryPolicy = entry.retryPolicy === undefined ? NO_RETRY : this.#policies.get(entry.retryPolicy);
    if (!retryPolicy) {
      issues.push({ path: `${entry.path}.retry_policy`, message: `'${entry.retryPolicy}' is not a retry policy (known: ${[...this.#policies.keys()].join(', ')})` });
    }
    if (issues.length > 0) throw new ConfigError(issues);
    const env = this.#env;
    let model: ChatModel | undefined;
    return new LeafClient({
      name: entry.name,
      provider: definition.name,
      modelName: typeof options.model === 'string' ? options.model : definition.name,
      model: () => (model ??= cachedModel(definition, env, parsed, () => definition.createModel(parsed, context), this.#guard)),
      retryPolicy: retryPolicy!,
      retryBudget: core.retryBudget,
      breaker: core.breaker,
      http: core.http,
      secrets: collectSecrets(options),
      random: this.#random,
    });
  }

  /** A path of client names from `start` back to itself through strategy members, if there is one. */
  #findCycle(start: string): string[] | undefined {
    const visit = (name: string, path: string[]): string[] | undefined => {
      const members = this.#strategyMembers(name);
      for (const member of members) {
        if (member === start) return [...path, member];
        if (!path.includes(member)) {
          const found = visit(member, [...path, member]);
          if (found) return found;
        }
      }
      return undefined;
    };
    return visit(start, [start]);
  }

  #strategyMembers(name: string): string[] {
    const entry = this.#entries.get(name);
    if (!entry) return [];
    const definition = this.#resolver.resolve(entry.provider);
    if (definition instanceof Promise) {
      definition.catch(() => undefined);
      return [];
    }
    if (!isStrategyDefinition(definition)) return [];
    try {
      return definition.members(definition.parseOptions(entry.options, { client: name, path: '', env: this.#env }));
    } catch {
      return [];
    }
  }

  /** Builds every configured client (not their models), collecting every problem with its path. */
  async #check(clients: LoadedClient[]): Promise<ConfigIssue[]> {
    const issues: ConfigIssue[] = [];
    for (const client of clients) {
      try {
        await this.#runnable(client.name);
      } catch (error) {
        issues.push(...issuesOf(error, `${client.path}.provider`));
        continue;
      }
      const definition = await this.#resolver.resolve(client.provider);
      if (!isStrategyDefinition(definition)) continue;
      const members = definition.members(definition.parseOptions(client.options, { client: client.name, path: '', env: this.#env }));
      for (const [index, member] of members.entries()) {
        if (this.#entries.has(member)) continue;
        const path = `${client.path}.options.strategy[${index}]`;
        if (!isShorthand(member)) {
          issues.push({ path, message: `'${member}' is not a client (known: ${this.clientNames().join(', ')}) nor a provider/model reference` });
          continue;
        }
        try {
          await this.#runnable(member);
        } catch (error) {
          issues.push(...issuesOf(error, path).map((issue) => ({ path, message: issue.message })));
        }
      }
    }
    return issues;
  }

  async #isReference(reference: string): Promise<boolean> {
    if (this.#entries.has(reference)) return true;
    if (!isShorthand(reference)) return false;
    try {
      await this.#runnable(reference);
      return true;
    } catch {
      return false;
    }
  }
}

function isShorthand(reference: string): boolean {
  const slash = typeof reference === 'string' ? reference.indexOf('/') : -1;
  return slash > 0 && slash < reference.length - 1;
}

function parseWith<T>(parse: () => T, issues: ConfigIssue[]): T {
  try {
    return parse();
  } catch (error) {
    issues.push(...issuesOf(error, ''));
    return undefined as T;
  }
}

function issuesOf(error: unknown, path: string): ConfigIssue[] {
  if (ConfigError.isInstance(error)) return error.issues;
  return [{ path, message: error instanceof Error ? error.message : String(error) }];
}

function checkRequest(request: ChatRequest): void {
  if (typeof request !== 'object' || request === null || !Array.isArray(request.messages) || request.messages.length === 0) {
    throw new RegError({ code: 'invalid_request', message: 'request.messages must be a non-empty list of messages' });
  }
}

function toGenerateResult(result: ClientResult, scope: CallScope): GenerateResult {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const part of result.content) {
    if (part.type === 'text') text += part.text;
    else toolCalls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
  }
  return { ...result, text, toolCalls, attempts: scope.attempts };
}
