import { loadConfig } from '../config/load-config.js';
import { parseRetryPolicy } from '../config/parse-retry-policy.js';
import type { RetryPolicyConfig } from '../config/config-types.js';
import { ConfigError, NoSuchClientError, type ConfigIssue } from '../errors/errors.js';
import { RegError } from '../errors/reg-error.js';
import { EventHub, type RegistryEventHandler, type RegistryEventName } from '../events/events.js';
import { BUILT_IN_RETRY_POLICIES, type RetryPolicy } from '../retry/retry-policy.js';
import { defaultStateStore, type StateStore } from '../state/state-store.js';
import type { CallSettings, ChatRequest, ClientResult, ConnectionGuard, GenerateResult, Provider, RunnableClient, StreamPart, ToolCall } from '../spec.js';
import { errorFromAbortReason } from './abort.js';
import { buildClient, entryOptions, type BuildContext, type ClientEntry } from './build-client.js';
import { checkClients, isReference } from './check-config.js';
import { nestingDepth, strategyMembers, type ClientInfo } from './client-graph.js';
import { ClientStore, isShorthand } from './client-store.js';
import { ProviderResolver } from './provider-resolver.js';
import { RegistryScope } from './registry-scope.js';

/** The client used when nothing is configured, as in BAML and Beamlens. */
export const DEFAULT_CLIENT = 'anthropic/claude-haiku-4-5-20251001';

const CLIENT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;

export interface ClientRegistryOptions {
  /** Providers given in code; they win over first-party packages and plugins of the same name. */
  providers?: readonly Provider[];
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
  /**
   * `explicit`: clients may use only the credentials in their options and `env`, so providers that
   * declare ambient credentials (the AWS chain, Google ADC, ...) are refused. The gateway sets it
   * for request-defined registries. Default `any`.
   */
  credentials?: 'any' | 'explicit';
}

let nextCallId = 1;

/**
 * Named LLM clients (leaves and strategies) and how to call them. Clients are built on first use
 * and kept; the models behind them are shared by every registry with the same options.
 */
export class ClientRegistry {
  readonly #clients: ClientStore;
  readonly #policies = new Map<string, RetryPolicy>(Object.entries(BUILT_IN_RETRY_POLICIES));
  readonly #events = new EventHub();
  readonly #resolver: ProviderResolver;
  readonly #store: StateStore;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #guard: ConnectionGuard | undefined;
  readonly #build: BuildContext;
  #primary: string | undefined;

  constructor(options: ClientRegistryOptions = {}) {
    this.#resolver = new ProviderResolver(options);
    this.#store = options.store ?? defaultStateStore();
    this.#env = options.env ?? process.env;
    this.#guard = options.connectionGuard;
    this.#clients = new ClientStore((entry) => this.#buildEntry(entry));
    this.#build = {
      env: this.#env,
      guard: this.#guard,
      credentials: options.credentials ?? 'any',
      policies: this.#policies,
      random: options.random ?? Math.random,
      resolve: (reference) => this.#clients.runnable(reference),
      membersOf: (name) => this.#membersOf(name),
    };
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
    for (const client of config.clients) registry.#clients.add(client);
    registry.#primary = config.primary;
    const checked = await checkClients(config.clients, {
      store: registry.#clients,
      resolveProvider: (name) => registry.#resolver.resolve(name),
      membersOf: (name) => registry.#membersOf(name),
      guard: registry.#guard,
    });
    const issues = [...config.issues, ...checked];
    if (config.primary !== undefined && !(await isReference(registry.#clients, config.primary))) {
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
    this.#clients.add({ name, provider, options, retryPolicy: retryPolicy ?? undefined, path });
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
    if (!this.#clients.has(name) && !isShorthand(name)) {
      throw new NoSuchClientError({ client: String(name), knownClients: this.clientNames() });
    }
    this.#primary = name;
  }

  /** The client calls use by default. */
  get primary(): string {
    return this.#primary ?? DEFAULT_CLIENT;
  }

  clientNames(): string[] {
    return this.#clients.names();
  }

  /**
   * Every configured client as the registry parsed it: its provider (with what it declares), the
   * members of a strategy and how deep strategies nest. For hosts that check configs they run (the
   * gateway's limits); loads the providers it needs.
   */
  async describeClients(): Promise<ClientInfo[]> {
    const described: ClientInfo[] = [];
    for (const entry of this.#clients.entries()) {
      const provider = await this.#resolver.resolve(entry.provider, entry.name);
      described.push({
        name: entry.name,
        path: entry.path,
        provider,
        members: this.#membersOf(entry.name),
        depth: nestingDepth(entry.name, (name) => this.#membersOf(name)),
      });
    }
    return described;
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
      const found = this.#clients.runnable(reference);
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
      const found = this.#clients.runnable(reference);
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

  #scope(settings: CallSettings): RegistryScope {
    const { timeoutMs, signal } = settings;
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) {
      throw new ConfigError([{ path: 'timeoutMs', message: 'must be a positive number of milliseconds' }]);
    }
    return new RegistryScope({
      id: nextCallId++,
      events: this.#events,
      store: this.#store,
      signal,
      timeout: timeoutMs === undefined ? undefined : { ms: timeoutMs, name: 'timeoutMs' },
    });
  }

  #failed(thrown: unknown, reference: string, scope: RegistryScope, startedAt: number): RegError {
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

  /** Resolves the entry's provider (loading its package on first use), then builds the client. */
  #buildEntry(entry: ClientEntry): RunnableClient | Promise<RunnableClient> {
    const provider = this.#resolver.resolve(entry.provider, entry.name);
    return provider instanceof Promise ? provider.then((resolved) => buildClient(entry, resolved, this.#build)) : buildClient(entry, provider, this.#build);
  }

  /** The members a configured strategy names (none for a leaf, or while its provider is not loaded yet). */
  #membersOf(name: string): string[] {
    const entry = this.#clients.entry(name);
    if (!entry) return [];
    const provider = this.#resolver.resolve(entry.provider);
    if (provider instanceof Promise) {
      provider.catch(() => undefined);
      return [];
    }
    return strategyMembers(provider, () => provider.parseOptions(entryOptions(entry, provider), { client: name, path: '', env: this.#env, http: {} }));
  }
}

function checkRequest(request: ChatRequest): void {
  if (typeof request !== 'object' || request === null || !Array.isArray(request.messages) || request.messages.length === 0) {
    throw new RegError({ code: 'invalid_request', message: 'request.messages must be a non-empty list of messages' });
  }
}

function toGenerateResult(result: ClientResult, scope: RegistryScope): GenerateResult {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const part of result.content) {
    if (part.type === 'text') text += part.text;
    else toolCalls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
  }
  return { ...result, text, toolCalls, attempts: scope.attempts };
}
