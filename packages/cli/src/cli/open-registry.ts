import { ClientRegistry, DEFAULT_CLIENT } from '@reg/core';
import { readConfigSummary } from './config-file.js';
import { loadProviders, shorthandProvider } from './providers.js';

/**
 * The registry of a config file (validated whole: a ConfigError lists every issue), or, without
 * one, the default registry whose primary client is `anthropic/claude-haiku-4-5-20251001`.
 * `client` is the reference the command will call, whose provider must be loaded too.
 */
export async function openRegistry(options: {
  configFile: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  client?: string | undefined;
}): Promise<ClientRegistry> {
  const names = new Set<string>();
  for (const reference of [options.client, options.configFile === undefined ? DEFAULT_CLIENT : undefined]) {
    const provider = shorthandProvider(reference);
    if (provider) names.add(provider);
  }
  if (options.configFile !== undefined) {
    // An unreadable file yields no clients here; fromConfig then reports why.
    const config = await readConfigSummary(options.configFile).catch(() => ({ primary: undefined, clients: [] }));
    names.add(shorthandProvider(config.primary) ?? '');
    for (const client of config.clients) {
      names.add(client.provider);
      for (const member of client.strategy ?? []) names.add(shorthandProvider(member) ?? '');
    }
  }
  const settings = { providers: await loadProviders(names), env: options.env };
  return options.configFile === undefined ? new ClientRegistry(settings) : ClientRegistry.fromConfig(options.configFile, settings);
}
