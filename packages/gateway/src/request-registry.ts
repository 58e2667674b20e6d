import { ClientRegistry, ConfigError, DEFAULT_RETRY, MemoryStateStore, NoSuchClientError, type ClientInfo, type ConfigIssue, type Provider } from '@reg/core';
import type { GatewayLimits } from './types.js';
import type { UpstreamAllowList } from './upstream-allow-list.js';

/**
 * The environment of every request-defined registry: empty, so `${VAR}` never reads the server's
 * variables and no provider finds a default key. One frozen object, because core caches models
 * per environment identity and a per-request registry should reuse SDK clients.
 */
const REQUEST_ENV: Readonly<Record<string, string | undefined>> = Object.freeze({});

const REGISTRY_KEYS = ['clients', 'primary', 'retry_policies'];
const HTTP_TIMEOUT_KEYS = ['connect_timeout_ms', 'request_timeout_ms', 'time_to_first_token_timeout_ms', 'idle_timeout_ms'];

export interface RequestRegistry {
  registry: ClientRegistry;
  /** `reg_options.client_registry` or `__baml_options__.client_registry`: where config paths start in the body. */
  pathPrefix: string;
  /** The client a request's `model` selects in this registry. */
  clientFor(model: string): string;
}

export interface RequestRegistryContext {
  providers: readonly Provider[];
  allowList: UpstreamAllowList;
  limits: GatewayLimits;
}

/**
 * The registry a request body brings, or undefined when it brings none. Throws one ConfigError
 * with body-relative paths: the gateway's limits, then everything core finds when it loads the
 * registry under the gateway's rules (explicit credentials only, every declared endpoint and every
 * connection through the allow-list), then the nesting limit on the client graph core parsed.
 */
export async function buildRequestRegistry(body: Record<string, unknown>, context: RequestRegistryContext): Promise<RequestRegistry | undefined> {
  const found = findRegistry(body);
  if (!found) return undefined;
  const { raw, pathPrefix } = found;
  if (!isRecord(raw)) throw prefixed(new ConfigError([{ path: '', message: 'must be an object with clients and primary' }]), pathPrefix);
  const issues = checkLimits(raw, context.limits);
  // A request over the client limit is refused before anything is built for it.
  if (issues.some((issue) => issue.path === 'clients')) throw prefixed(new ConfigError(issues), pathPrefix);
  let registry: ClientRegistry | undefined;
  try {
    registry = await ClientRegistry.fromConfig(registryKeysOf(raw), {
      env: REQUEST_ENV,
      providers: context.providers,
      // Its own store: a request's clients must not share retry budgets or cursors with the server's clients of the same name.
      store: new MemoryStateStore(),
      // Declared endpoints are checked when it loads, every connection (redirects included) when it is made.
      connectionGuard: context.allowList,
      // A request's clients never use the server's ambient credentials (AWS chain, Google ADC, ...).
      credentials: 'explicit',
    });
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    issues.push(...error.issues);
  }
  if (registry) issues.push(...depthIssues(await registry.describeClients(), context.limits.maxStrategyDepth));
  if (issues.length > 0 || !registry) throw prefixed(new ConfigError(issues), pathPrefix);
  const primary = typeof raw.primary === 'string' ? raw.primary : undefined;
  const built = registry;
  return {
    registry: built,
    pathPrefix,
    clientFor(model) {
      const names = built.clientNames();
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

/** The gateway's own limits on what a request may define, on top of core's validation; no plugins. */
function checkLimits(raw: Record<string, unknown>, limits: GatewayLimits): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(raw)) {
    if (key === 'plugins') issues.push({ path: 'plugins', message: 'a request-defined registry cannot load plugins' });
    else if (!REGISTRY_KEYS.includes(key)) issues.push({ path: key, message: `is not a registry key (known: ${REGISTRY_KEYS.join(', ')})` });
  }
  const clients = Array.isArray(raw.clients) ? raw.clients : [];
  if (clients.length > limits.maxClients) issues.push({ path: 'clients', message: `defines ${clients.length} clients; the gateway allows at most ${limits.maxClients}` });
  const policies = isRecord(raw.retry_policies) ? raw.retry_policies : {};
  for (const [name, policy] of Object.entries(policies)) {
    if (isRecord(policy) && typeof policy.max_retries === 'number' && policy.max_retries > limits.maxRetries) {
      issues.push({ path: `retry_policies.${name}.max_retries`, message: `must be at most ${limits.maxRetries} in a request-defined registry` });
    }
  }
  clients.forEach((client: unknown, index: number) => {
    if (!isRecord(client)) return;
    const path = `clients[${index}]`;
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
  });
  return issues;
}

/** The keys of a request's registry core should load (the others were reported by `checkLimits`). */
function registryKeysOf(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => REGISTRY_KEYS.includes(key)));
}

/** Strategies nested deeper than the gateway allows, by the depth core computed. */
function depthIssues(clients: ClientInfo[], maxDepth: number): ConfigIssue[] {
  return clients
    .filter((client) => client.depth > maxDepth)
    .map((client) => ({ path: `${client.path}.options.strategy`, message: `nests strategies ${client.depth} deep; the gateway allows ${maxDepth}` }));
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
