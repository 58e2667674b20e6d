import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BUILT_IN_STRATEGIES } from '@reg/core';

/** The names `reg` looks for in the working directory when no `--config` is given. */
export const CONFIG_FILE_NAMES = ['reg.config.yaml', 'reg.config.yml', 'reg.config.json'];

/** The `--config` file, else the first conventional config file in `cwd`, else undefined. */
export function findConfigFile(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit !== undefined) return resolve(cwd, explicit);
  return CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

/** A client as the config file spells it, for display; the registry has already validated it. */
export interface ConfigClientSummary {
  name: string;
  provider: string;
  model: string | undefined;
  retryPolicy: string | undefined;
  /** Member references, for a strategy. */
  strategy: string[] | undefined;
}

export interface ConfigSummary {
  primary: string | undefined;
  clients: ConfigClientSummary[];
}

const STRATEGY_PROVIDERS = new Set(BUILT_IN_STRATEGIES);

/**
 * What a config file names, as written: which provider packages to load, the summary table, the
 * leaves to ping. Validation is `ClientRegistry.fromConfig`'s; core does not export its loader,
 * so the file is parsed here too (YAML is a superset of JSON).
 */
export async function readConfigSummary(file: string): Promise<ConfigSummary> {
  const { parse } = await import('yaml');
  let raw: unknown = parse(await readFile(file, 'utf8'));
  if (isRecord(raw) && isRecord(raw.__baml_options__)) raw = raw.__baml_options__;
  if (isRecord(raw) && isRecord(raw.client_registry)) raw = raw.client_registry;
  const primary = isRecord(raw) && typeof raw.primary === 'string' ? raw.primary : undefined;
  const clients = isRecord(raw) && Array.isArray(raw.clients) ? raw.clients : [];
  return { primary, clients: clients.filter(isRecord).map(summarizeClient) };
}

function summarizeClient(client: Record<string, unknown>): ConfigClientSummary {
  const options = isRecord(client.options) ? client.options : {};
  const provider = String(client.provider);
  return {
    name: String(client.name),
    provider,
    model: typeof options.model === 'string' ? options.model : undefined,
    retryPolicy: typeof client.retry_policy === 'string' ? client.retry_policy : undefined,
    strategy: STRATEGY_PROVIDERS.has(provider) ? strategyMembers(options.strategy) : undefined,
  };
}

/**
 * The clients that call a vendor: every configured non-strategy client, plus `provider/model`
 * references that strategies name without defining them.
 */
export function leafClients(clients: ConfigClientSummary[]): string[] {
  const names = new Set(clients.map((client) => client.name));
  const leaves = clients.filter((client) => client.strategy === undefined).map((client) => client.name);
  for (const client of clients) {
    for (const member of client.strategy ?? []) {
      if (!names.has(member) && member.includes('/') && !leaves.includes(member)) leaves.push(member);
    }
  }
  return leaves;
}

function strategyMembers(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
