import type { LoadedClient } from '../config/load-config.js';
import type { ConfigIssue } from '../errors/errors.js';
import { isStrategy, type ConnectionGuard, type Provider } from '../spec.js';
import { entryOptions, issuesOf } from './build-client.js';
import type { MembersOf } from './client-graph.js';
import { isShorthand, type ClientStore } from './client-store.js';

export interface CheckContext {
  store: ClientStore;
  resolveProvider(name: string): Provider | Promise<Provider>;
  /** The members a configured strategy names, as the registry reads them. */
  membersOf: MembersOf;
  guard: ConnectionGuard | undefined;
}

/**
 * Builds every configured client (not their models) and collects every problem with its path:
 * unknown providers, invalid options, strategy members that are not clients, and endpoints the
 * registry's connection guard refuses.
 */
export async function checkClients(clients: LoadedClient[], context: CheckContext): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const { store } = context;
  for (const client of clients) {
    try {
      const provider = await context.resolveProvider(client.provider);
      issues.push(...(await refusedEndpoints(client, provider, context.guard)));
      await store.runnable(client.name);
    } catch (error) {
      issues.push(...issuesOf(error, `${client.path}.provider`));
      continue;
    }
    const members = context.membersOf(client.name);
    for (const [index, member] of members.entries()) {
      if (store.has(member)) continue;
      const path = `${client.path}.options.strategy[${index}]`;
      if (!isShorthand(member)) {
        issues.push({ path, message: `'${member}' is not a client (known: ${store.names().join(', ')}) nor a provider/model reference` });
        continue;
      }
      try {
        await store.runnable(member);
      } catch (error) {
        issues.push(...issuesOf(error, path).map((issue) => ({ path, message: issue.message })));
      }
    }
  }
  return issues;
}

/** Whether `reference` is a client, or a `provider/model` reference that builds. */
export async function isReference(store: ClientStore, reference: string): Promise<boolean> {
  if (store.has(reference)) return true;
  if (!isShorthand(reference)) return false;
  try {
    await store.runnable(reference);
    return true;
  } catch {
    return false;
  }
}

/** The provider's declared endpoint options that the guard refuses, each at its path. */
async function refusedEndpoints(client: LoadedClient, provider: Provider, guard: ConnectionGuard | undefined): Promise<ConfigIssue[]> {
  if (!guard?.refusal || isStrategy(provider) || !provider.endpointOptions) return [];
  const options = entryOptions({ ...client }, provider);
  const refusals = provider.endpointOptions
    .filter((key) => options[key] !== undefined && options[key] !== null)
    .map(async (key): Promise<ConfigIssue | undefined> => {
      const message = await guard.refusal!(options[key]);
      return message === undefined ? undefined : { path: `${client.path}.options.${key}`, message };
    });
  return (await Promise.all(refusals)).filter((issue): issue is ConfigIssue => issue !== undefined);
}
