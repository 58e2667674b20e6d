import {
  ClientRegistry,
  ConfigError,
  DEFAULT_RETRY,
  FIRST_PARTY_PROVIDERS,
  MemoryStateStore,
  NoSuchClientError,
  type ConfigIssue,
  type ProviderDefinition,
} from '@reg/core';
import type { GatewayLimits } from './types.js';
import type { UpstreamAllowList } from './upstream-allow-list.js';

/**
 * The environment of every request-defined registry: empty, so `${VAR}` never reads the server's
 * variables and no provider finds a default key. One frozen object, because core caches models
 * per environment identity and a per-request registry should reuse SDK clients.
 */
const REQUEST_ENV: Readonly<Record<string, string | undefined>> = Object.freeze({});

/**
 * Providers that would pick up the server's ambient credentials whatever the options say: the AWS
 * chain, Google ADC, and AI SDK packages (they read their keys from process.env, and `package`
 * would let a request load any installed package, with URLs in `settings` the allow-list cannot see).
 */
const AMBIENT_CREDENTIAL_PROVIDERS = new Set(['aws-bedrock', 'vertex-ai', 'ai-sdk']);
const STRATEGY_PROVIDERS = new Set(['fallback', 'round-robin']);
const REGISTRY_KEYS = ['clients', 'primary', 'retry_policies'];
const HTTP_TIMEOUT_KEYS = ['connect_timeout_ms', 'request_timeout_ms', 'time_to_first_token_timeout_ms', 'idle_timeout_ms'];
/** Options that decide where a client connects; each must pass the allow-list. */
const URL_OPTION = /(^|_)(url|endpoint)$/;

export interface RequestRegistry {
  registry: ClientRegistry;
  /** `reg_options.client_registry` or `__baml_options__.client_registry`: where config paths start in the body. */
  pathPrefix: string;
  /** The client a request's `model` selects in this registry. */
  clientFor(model: string): string;
}

export interface RequestRegistryContext {
  providers: readonly ProviderDefinition<unknown>[];
  allowList: UpstreamAllowList;
  limits: GatewayLimits;
}

/** The registry a request body brings, or undefined when it brings none. Throws ConfigError with body-relative paths. */
export async function buildRequestRegistry(body: Record<string, unknown>, context: RequestRegistryContext): Promise<RequestRegistry | undefined> {
  const found = findRegistry(body);
  if (!found) return undefined;
  const { raw, pathPrefix } = found;
  const issues = checkShape(raw, context);
  if (issues.length === 0) issues.push(...(await checkUpstreams(raw as Record<string, unknown>, context.allowList)));
  if (issues.length > 0) throw prefixed(new ConfigError(issues), pathPrefix);
  let registry: ClientRegistry;
  try {
    registry = await ClientRegistry.fromConfig(raw as object, {
      env: REQUEST_ENV,
      providers: context.providers as ProviderDefinition<unknown>[] as never,
      // Its own store: a request's clients must not share retry budgets or cursors with the server's clients of the same name.
      store: new MemoryStateStore(),
      // Every connection of its clients, redirects included, is checked at connect time.
      connectionGuard: context.allowList,
    });
  } catch (error) {
    throw ConfigError.isInstance(error) ? prefixed(error, pathPrefix) : error;
  }
  const primary = typeof (raw as Record<string, unknown>).primary === 'string' ? ((raw as Record<string, unknown>).primary as string) : undefined;
  return {
    registry,
    pathPrefix,
    clientFor(model) {
      const names = registry.clientNames();
      if (names.includes(model)) return model;
      if (primary !== undefined) return primary;
      if (names.length === 1) return names[0]!;
      throw new NoSuchClientError({ client: model, knownClients: names });
    },
  };
}

function findRegistry(body: Record<string, unknown>): { raw: unknown; pathPrefix: string } | undefined {
  const hasReg = body.reg_options !== undefined && body.reg_options !== null;
  const hasBaml = body.__baml_options__ !== undefined && body.__baml_options__ !== null;
  if (!hasReg && !hasBaml) return undefined;
  if (hasReg && hasBaml) {
    throw new ConfigError([{ path: '__baml_options__', message: 'give reg_options or __baml_options__, not both (they are the same thing)' }]);
  }
  const key = hasReg ? 'reg_options' : '__baml_options__';
  const options = body[key];
  if (!isRecord(options)) throw new ConfigError([{ path: key, message: 'must be an object with client_registry' }]);
  const unknown = Object.keys(options).filter((name) => name !== 'client_registry');
  if (unknown.length > 0) throw new ConfigError(unknown.map((name) => ({ path: `${key}.${name}`, message: 'is not supported (known: client_registry)' })));
  if (!isRecord(options.client_registry)) {
    throw new ConfigError([{ path: `${key}.client_registry`, message: 'must be an object with clients and primary' }]);
  }
  return { raw: options.client_registry, pathPrefix: `${key}.client_registry` };
}

/** The gateway's own rules on top of core's validation: limits, allowed providers, no plugins. */
function checkShape(raw: unknown, context: RequestRegistryContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { limits } = context;
  if (!isRecord(raw)) return [{ path: '', message: 'must be an object with clients and primary' }];
  for (const key of Object.keys(raw)) {
    if (key === 'plugins') issues.push({ path: 'plugins', message: 'a request-defined registry cannot load plugins' });
    else if (!REGISTRY_KEYS.includes(key)) issues.push({ path: key, message: `is not a registry key (known: ${REGISTRY_KEYS.join(', ')})` });
  }
  const clients = Array.isArray(raw.clients) ? raw.clients : [];
  if (clients.length > limits.maxClients) issues.push({ path: 'clients', message: `defines ${clients.length} clients; the gateway allows at most ${limits.maxClients}` });
  const allowed = allowedProviders(context.providers);
  const policies = isRecord(raw.retry_policies) ? raw.retry_policies : {};
  for (const [name, policy] of Object.entries(policies)) {
    if (isRecord(policy) && typeof policy.max_retries === 'number' && policy.max_retries > limits.maxRetries) {
      issues.push({ path: `retry_policies.${name}.max_retries`, message: `must be at most ${limits.maxRetries} in a request-defined registry` });
    }
  }
  clients.forEach((client: unknown, index: number) => {
    if (!isRecord(client)) return;
    const path = `clients[${index}]`;
    if (typeof client.provider === 'string' && !allowed.has(client.provider)) {
      const why = AMBIENT_CREDENTIAL_PROVIDERS.has(client.provider)
        ? 'uses ambient server credentials and is not available to request-defined clients'
        : 'is not available to request-defined clients';
      issues.push({ path: `${path}.provider`, message: `'${client.provider}' ${why} (available: ${[...allowed].sort().join(', ')})` });
    }
    if (client.retry_policy === 'DefaultRetry' && !('DefaultRetry' in policies) && DEFAULT_RETRY.maxRetries > limits.maxRetries) {
      issues.push({ path: `${path}.retry_policy`, message: `DefaultRetry makes ${DEFAULT_RETRY.maxRetries} retries; the gateway allows at most ${limits.maxRetries}` });
    }
    const options = isRecord(client.options) ? client.options : {};
    const http = isRecord(options.http) ? options.http : {};
    for (const key of HTTP_TIMEOUT_KEYS) {
      if (typeof http[key] === 'number' && http[key] > limits.maxTimeoutMs) {
        issues.push({ path: `${path}.options.http.${key}`, message: `must be at most ${limits.maxTimeoutMs} ms in a request-defined registry` });
      }
    }
    if (typeof options.total_timeout_ms === 'number' && options.total_timeout_ms > limits.maxTimeoutMs) {
      issues.push({ path: `${path}.options.total_timeout_ms`, message: `must be at most ${limits.maxTimeoutMs} ms in a request-defined registry` });
    }
    // Azure builds https://<resource_name>.openai.azure.com: a name with '/', '@' or '#' would move the host.
    if (options.resource_name !== undefined && !(typeof options.resource_name === 'string' && /^[A-Za-z0-9-]+$/.test(options.resource_name))) {
      issues.push({ path: `${path}.options.resource_name`, message: 'must be letters, digits and dashes' });
    }
  });
  const depthIssue = strategyDepthIssue(clients, limits.maxStrategyDepth);
  if (depthIssue) issues.push(depthIssue);
  return issues;
}

async function checkUpstreams(raw: Record<string, unknown>, allowList: UpstreamAllowList): Promise<ConfigIssue[]> {
  const checks: Array<Promise<ConfigIssue | undefined>> = [];
  const clients = Array.isArray(raw.clients) ? raw.clients : [];
  clients.forEach((client: unknown, index: number) => {
    if (!isRecord(client) || !isRecord(client.options)) return;
    for (const [key, value] of Object.entries(client.options)) {
      if (!URL_OPTION.test(key) || value === undefined || value === null) continue;
      const path = `clients[${index}].options.${key}`;
      checks.push(allowList.refusal(value).then((message) => (message ? { path, message } : undefined)));
    }
  });
  return (await Promise.all(checks)).filter((issue): issue is ConfigIssue => issue !== undefined);
}

function strategyDepthIssue(clients: unknown[], maxDepth: number): ConfigIssue | undefined {
  const members = new Map<string, string[]>();
  const paths = new Map<string, string>();
  clients.forEach((client, index) => {
    if (!isRecord(client) || typeof client.name !== 'string') return;
    paths.set(client.name, `clients[${index}]`);
    const strategy = isRecord(client.options) ? client.options.strategy : undefined;
    if (typeof client.provider === 'string' && STRATEGY_PROVIDERS.has(client.provider) && Array.isArray(strategy)) {
      members.set(client.name, strategy.filter((member): member is string => typeof member === 'string'));
    }
  });
  const depth = (name: string, seen: Set<string>): number => {
    const list = members.get(name);
    // Cycles are core's to report; here they just stop the walk.
    if (!list || seen.has(name)) return 0;
    seen.add(name);
    const deepest = Math.max(0, ...list.map((member) => depth(member, seen)));
    seen.delete(name);
    return 1 + deepest;
  };
  for (const name of members.keys()) {
    const found = depth(name, new Set());
    if (found > maxDepth) return { path: `${paths.get(name)}.options.strategy`, message: `nests strategies ${found} deep; the gateway allows ${maxDepth}` };
  }
  return undefined;
}

function allowedProviders(providers: readonly ProviderDefinition<unknown>[]): Set<string> {
  const names = new Set([...STRATEGY_PROVIDERS, ...Object.keys(FIRST_PARTY_PROVIDERS), ...providers.map((provider) => provider.name)]);
  for (const name of AMBIENT_CREDENTIAL_PROVIDERS) names.delete(name);
  return names;
}

function prefixed(error: ConfigError, prefix: string): ConfigError {
  const issues = error.issues.map((issue) => ({ ...issue, path: joinPath(prefix, issue.path) }));
  return new ConfigError(issues);
}

function joinPath(prefix: string, path: string): string {
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
