import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors/errors.js';
import type { RetryPolicy } from '../retry/retry-policy.js';
import { interpolateEnv } from './interpolate-env.js';
import { parseRetryPolicy } from './parse-retry-policy.js';
import { isRecord } from './option-reader.js';

export interface LoadedClient {
  name: string;
  provider: string;
  options: Record<string, unknown>;
  retryPolicy: string | undefined;
  /** `clients[2]`: where the client sits in the config. */
  path: string;
}

export interface LoadedConfig {
  primary: string | undefined;
  clients: LoadedClient[];
  retryPolicies: Map<string, RetryPolicy>;
  plugins: string[];
  /** Problems found so far; the registry adds its own (providers, members, cycles) before throwing. */
  issues: ConfigIssue[];
  /** The file's directory (plugins resolve from there), or undefined for an object. */
  baseDir: string | undefined;
  source: string;
}

const TOP_LEVEL_KEYS = ['primary', 'clients', 'retry_policies', 'plugins'];
const CLIENT_KEYS = ['name', 'provider', 'options', 'retry_policy'];
/** A client name is referenced from strategies and as `provider/model`; a '/' would be ambiguous. */
const CLIENT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;

/**
 * Reads a config (a JSON or YAML file, or an object already parsed) in BAML's `client_registry`
 * shape, also when wrapped as `{ client_registry }` or `{ __baml_options__: { client_registry } }`.
 * Every structural problem is collected with its path; unreadable files throw ConfigError at once.
 */
export async function loadConfig(
  input: string | object,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LoadedConfig> {
  let raw: unknown = input;
  let baseDir: string | undefined;
  let source = 'config object';
  if (typeof input === 'string') {
    const file = resolve(input);
    source = file;
    baseDir = dirname(file);
    raw = await parseFile(file);
  }
  return normalizeConfig(raw, env, { baseDir, source });
}

async function parseFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '', message: `cannot read ${file}: ${(error as Error).message}` }]);
  }
  const extension = extname(file).toLowerCase();
  try {
    if (extension === '.json') return JSON.parse(text);
    // YAML is a superset of JSON; loaded only when a YAML file is read.
    const { parse } = await import('yaml');
    return parse(text);
  } catch (error) {
    throw new ConfigError([{ path: '', message: `cannot parse ${file}: ${(error as Error).message}` }]);
  }
}

export function normalizeConfig(
  input: unknown,
  env: Readonly<Record<string, string | undefined>>,
  meta: { baseDir?: string | undefined; source: string },
): LoadedConfig {
  const issues: ConfigIssue[] = [];
  let raw = input;
  if (isRecord(raw) && isRecord(raw.__baml_options__)) raw = raw.__baml_options__;
  if (isRecord(raw) && isRecord(raw.client_registry)) raw = raw.client_registry;
  raw = interpolateEnv(raw, env, issues);
  const result: LoadedConfig = {
    primary: undefined,
    clients: [],
    retryPolicies: new Map(),
    plugins: [],
    issues,
    baseDir: meta.baseDir,
    source: meta.source,
  };
  if (!isRecord(raw)) {
    issues.push({ path: '', message: 'the config must be an object with clients (and optionally primary, retry_policies, plugins)' });
    return result;
  }
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key)) issues.push({ path: key, message: `is not a config key (known: ${TOP_LEVEL_KEYS.join(', ')})` });
  }
  if (raw.primary !== undefined && raw.primary !== null) {
    if (typeof raw.primary === 'string' && raw.primary !== '') result.primary = raw.primary;
    else issues.push({ path: 'primary', message: 'must be a client name' });
  }
  if (raw.retry_policies !== undefined && raw.retry_policies !== null) {
    if (!isRecord(raw.retry_policies)) {
      issues.push({ path: 'retry_policies', message: 'must map policy names to policies' });
    } else {
      for (const [name, policy] of Object.entries(raw.retry_policies)) {
        const parsed = parseRetryPolicy(policy, `retry_policies.${name}`, issues);
        if (parsed) result.retryPolicies.set(name, parsed);
      }
    }
  }
  if (raw.plugins !== undefined && raw.plugins !== null) {
    if (!Array.isArray(raw.plugins)) issues.push({ path: 'plugins', message: 'must be a list of package names' });
    else {
      raw.plugins.forEach((plugin, index) => {
        if (typeof plugin === 'string' && plugin !== '') result.plugins.push(plugin);
        else issues.push({ path: `plugins[${index}]`, message: 'must be a package name or path' });
      });
    }
  }
  const clients = raw.clients ?? [];
  if (!Array.isArray(clients)) {
    issues.push({ path: 'clients', message: 'must be a list of { name, provider, options, retry_policy }' });
    return result;
  }
  const seen = new Map<string, string>();
  clients.forEach((client, index) => {
    const path = `clients[${index}]`;
    if (!isRecord(client)) {
      issues.push({ path, message: 'must be an object with name, provider and options' });
      return;
    }
    const before = issues.length;
    for (const key of Object.keys(client)) {
      if (!CLIENT_KEYS.includes(key)) issues.push({ path: `${path}.${key}`, message: `is not a client key (known: ${CLIENT_KEYS.join(', ')})` });
    }
    const { name, provider, options, retry_policy: retryPolicy } = client;
    if (typeof name !== 'string' || !CLIENT_NAME.test(name)) {
      issues.push({ path: `${path}.name`, message: 'must be a name of letters, digits, _ . : - (no /)' });
    } else if (seen.has(name)) {
      issues.push({ path: `${path}.name`, message: `duplicates the name of ${seen.get(name)}` });
    } else {
      seen.set(name, path);
    }
    if (typeof provider !== 'string' || provider === '') issues.push({ path: `${path}.provider`, message: 'must be a provider name' });
    if (options !== undefined && options !== null && !isRecord(options)) issues.push({ path: `${path}.options`, message: 'must be an object' });
    if (retryPolicy !== undefined && retryPolicy !== null && typeof retryPolicy !== 'string') {
      issues.push({ path: `${path}.retry_policy`, message: 'must be the name of a retry policy' });
    }
    if (issues.length > before) return;
    result.clients.push({
      name: name as string,
      provider: provider as string,
      options: (options as Record<string, unknown> | undefined) ?? {},
      retryPolicy: (retryPolicy as string | null | undefined) ?? undefined,
      path,
    });
  });
  return result;
}
