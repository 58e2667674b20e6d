import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, NoSuchProviderError, type ConfigIssue } from '../errors/errors.js';
import { isProvider, type Provider } from '../spec.js';
import { fallback } from '../strategies/fallback.js';
import { hedge } from '../strategies/hedge.js';
import { roundRobin } from '../strategies/round-robin.js';

/** First-party provider names and the package that holds each; loaded on first use. */
export const FIRST_PARTY_PROVIDERS: Readonly<Record<string, string>> = Object.freeze({
  openai: '@reg/provider-openai',
  'openai-responses': '@reg/provider-openai',
  'openai-generic': '@reg/provider-openai',
  'azure-openai': '@reg/provider-openai',
  openrouter: '@reg/provider-openai',
  anthropic: '@reg/provider-anthropic',
  'aws-bedrock': '@reg/provider-bedrock',
  'google-ai': '@reg/provider-google',
  'vertex-ai': '@reg/provider-google',
  'ai-sdk': '@reg/provider-ai-sdk',
});

const BUILT_IN: readonly Provider[] = [fallback, roundRobin, hedge];

/** The names of the strategies every registry knows without a package. */
export const BUILT_IN_STRATEGIES: readonly string[] = Object.freeze(BUILT_IN.map((definition) => definition.name));

/**
 * Finds a provider by name: those given in code, the built-in strategies, first-party names (by
 * importing their package), then the config's plugins (whose exports declare their names).
 */
export class ProviderResolver {
  readonly #known = new Map<string, Provider>();
  readonly #plugins: string[];
  readonly #baseDir: string;
  readonly #modules = new Map<string, Promise<Record<string, unknown>>>();
  #pluginsLoaded: Promise<void> | undefined;

  constructor(options: { providers?: readonly Provider[]; plugins?: readonly string[]; baseDir?: string }) {
    for (const provider of BUILT_IN) this.#known.set(provider.name, provider);
    for (const provider of options.providers ?? []) {
      if (!isProvider(provider)) {
        throw new ConfigError([{ path: 'providers', message: 'each provider must be made with defineProvider' }]);
      }
      if (BUILT_IN.some((builtIn) => builtIn.name === provider.name)) {
        throw new ConfigError([{ path: 'providers', message: `'${provider.name}' is a built-in strategy and cannot be replaced` }]);
      }
      this.#known.set(provider.name, provider);
    }
    this.#plugins = [...(options.plugins ?? [])];
    this.#baseDir = options.baseDir ?? process.cwd();
  }

  /** Synchronous when the provider is already known, which is every call after the first. */
  resolve(name: string, client?: string): Provider | Promise<Provider> {
    return this.#known.get(name) ?? this.#load(name, client);
  }

  knownNames(): string[] {
    return [...new Set([...this.#known.keys(), ...Object.keys(FIRST_PARTY_PROVIDERS)])].sort();
  }

  async #load(name: string, client: string | undefined): Promise<Provider> {
    const packageName = FIRST_PARTY_PROVIDERS[name];
    let cause: unknown;
    if (packageName) {
      try {
        this.#register(await this.#import(packageName));
      } catch (error) {
        cause = error;
      }
    }
    if (!this.#known.has(name) && this.#plugins.length > 0) {
      this.#pluginsLoaded ??= this.#loadPlugins();
      await this.#pluginsLoaded;
    }
    const found = this.#known.get(name);
    if (found) return found;
    throw new NoSuchProviderError({ provider: name, client, packageName, knownProviders: this.knownNames(), cause });
  }

  async #loadPlugins(): Promise<void> {
    const issues: ConfigIssue[] = [];
    for (const [index, plugin] of this.#plugins.entries()) {
      try {
        const exports = await this.#import(plugin);
        if (this.#register(exports) === 0) {
          issues.push({ path: `plugins[${index}]`, message: `'${plugin}' exports no provider made with defineProvider` });
        }
      } catch (error) {
        issues.push({ path: `plugins[${index}]`, message: `cannot load '${plugin}': ${(error as Error).message}` });
      }
    }
    if (issues.length > 0) throw new ConfigError(issues);
  }

  /**
   * Registers every provider definition a module exports (directly or in an exported array) and
   * returns how many it found. The first definition of a name wins.
   */
  #register(exports: Record<string, unknown>): number {
    let count = 0;
    const candidates = Object.values(exports).flatMap((value) => (Array.isArray(value) ? value : [value]));
    for (const candidate of candidates) {
      if (!isProvider(candidate)) continue;
      count++;
      if (!this.#known.has(candidate.name)) this.#known.set(candidate.name, candidate);
    }
    return count;
  }

  #import(specifier: string): Promise<Record<string, unknown>> {
    let loading = this.#modules.get(specifier);
    if (!loading) {
      loading = importFrom(specifier, this.#baseDir);
      this.#modules.set(specifier, loading);
      loading.catch(() => this.#modules.delete(specifier));
    }
    return loading;
  }
}

/**
 * Imports a package as the application sees it: from the app's own node_modules (walking up from
 * `baseDir`, which works with npm's flat and pnpm's strict layouts), else as @reg/core sees it.
 */
async function importFrom(specifier: string, baseDir: string): Promise<Record<string, unknown>> {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    return import(pathToFileURL(resolve(baseDir, specifier)).href) as Promise<Record<string, unknown>>;
  }
  const entry = findPackageEntry(specifier, baseDir);
  if (entry) return import(pathToFileURL(entry).href) as Promise<Record<string, unknown>>;
  return import(specifier) as Promise<Record<string, unknown>>;
}

function findPackageEntry(specifier: string, fromDir: string): string | undefined {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const packageDir = join(dir, 'node_modules', specifier);
    const manifestPath = join(packageDir, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; main?: string };
      return join(packageDir, exportEntry(manifest.exports) ?? manifest.main ?? 'index.js');
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The ESM entry of a package's `exports` for '.', following import/node/default conditions. */
function exportEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  const record = exports as Record<string, unknown>;
  if ('.' in record) return exportEntry(record['.']);
  for (const condition of ['import', 'node', 'default']) {
    if (condition in record) {
      const found = exportEntry(record[condition]);
      if (found) return found;
    }
  }
  return undefined;
}
