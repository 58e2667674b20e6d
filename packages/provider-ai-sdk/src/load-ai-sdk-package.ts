import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@reg/core';
import { isRecord } from '@reg/provider-utils';
import type { AnyAiSdkProvider } from './ai-sdk-options.js';

export interface PackageContext {
  /** Where the client's options sit in the config (`clients[2].options`). */
  path: string;
}

/**
 * Finds the entry file of an AI SDK provider package the way the application sees it: from the
 * app's root (process.cwd(), which works with npm's flat and pnpm's strict layouts), then as this
 * package sees it (a dependency or peer of ours). Synchronous, so a missing package fails when the
 * client is built, before any request.
 */
export function resolveAiSdkPackage(packageName: string, context: PackageContext): string {
  const bases = [join(process.cwd(), 'package.json'), import.meta.url];
  for (const base of bases) {
    const found = resolveFrom(createRequire(base), packageName);
    if (found) return found;
  }
  throw new ConfigError([
    {
      path: `${context.path}.package`,
      message:
        `the AI SDK provider package '${packageName}' is not installed where the app can load it. ` +
        `Install it in the app: pnpm add ${packageName} (or npm install ${packageName}).`,
    },
  ]);
}

function resolveFrom(require: NodeJS.Require, packageName: string): string | undefined {
  try {
    return require.resolve(packageName);
  } catch (error) {
    // An ESM-only package may export nothing under require's conditions: read its manifest instead.
    if ((error as { code?: unknown }).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
  }
  try {
    const manifestPath = require.resolve(`${packageName}/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; main?: string };
    const entry = join(dirname(manifestPath), importEntry(manifest.exports) ?? manifest.main ?? 'index.js');
    return existsSync(entry) ? entry : undefined;
  } catch {
    return undefined;
  }
}

function importEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!isRecord(exports)) return undefined;
  if ('.' in exports) return importEntry(exports['.']);
  for (const condition of ['import', 'node', 'default']) {
    const found = condition in exports ? importEntry(exports[condition]) : undefined;
    if (found) return found;
  }
  return undefined;
}

/**
 * Imports the package and builds its provider: `factory(settings)` with the named (or the one
 * `create*`) factory, or the package's ready-made provider instance when it is given no settings.
 */
export async function loadAiSdkProvider(options: {
  packageName: string;
  entry: string;
  factory: string | undefined;
  settings: Record<string, unknown>;
  context: PackageContext;
}): Promise<AnyAiSdkProvider> {
  const { packageName, context } = options;
  const exports = (await import(pathToFileURL(options.entry).href)) as Record<string, unknown>;
  const fail = (key: string, message: string) => new ConfigError([{ path: `${context.path}.${key}`, message }]);
  const factories = Object.keys(exports).filter((name) => /^create[A-Z]/.test(name) && typeof exports[name] === 'function');

  if (options.factory !== undefined) {
    const factory = exports[options.factory];
    if (typeof factory !== 'function') {
      throw fail('factory', `'${packageName}' has no function export '${options.factory}' (its create* exports: ${factories.join(', ') || 'none'})`);
    }
    return (factory as (settings: Record<string, unknown>) => AnyAiSdkProvider)(options.settings);
  }

  const factory = pickFactory(packageName, factories);
  if (factory) return (exports[factory] as (settings: Record<string, unknown>) => AnyAiSdkProvider)(options.settings);
  if (factories.length > 1) {
    throw fail('factory', `'${packageName}' exports several factories (${factories.join(', ')}); name the one to use in options.factory`);
  }
  const instance = defaultInstance(packageName, exports);
  if (instance && Object.keys(options.settings).length === 0) return instance;
  throw fail(
    'factory',
    instance
      ? `'${packageName}' has no create* factory to take options.settings; remove the settings or name the factory`
      : `'${packageName}' exports no create* factory and no provider instance; is it an AI SDK provider package?`,
  );
}

/** The one `create*` export, or among several the one named after the package (`createMistral` for `@ai-sdk/mistral`). */
function pickFactory(packageName: string, factories: string[]): string | undefined {
  if (factories.length === 1) return factories[0];
  const wanted = `create${simpleName(packageName)}`.toLowerCase();
  return factories.find((name) => name.toLowerCase() === wanted);
}

function defaultInstance(packageName: string, exports: Record<string, unknown>): AnyAiSdkProvider | undefined {
  const wanted = simpleName(packageName).toLowerCase();
  for (const [name, value] of Object.entries(exports)) {
    if (name.toLowerCase() === wanted && isProviderInstance(value)) return value;
  }
  return isProviderInstance(exports.default) ? exports.default : undefined;
}

function isProviderInstance(value: unknown): value is AnyAiSdkProvider {
  return (typeof value === 'function' || isRecord(value)) && typeof (value as { languageModel?: unknown }).languageModel === 'function';
}

/** `@ai-sdk/amazon-bedrock` -> `amazonbedrock`, compared without case. */
function simpleName(packageName: string): string {
  return (packageName.split('/').pop() ?? packageName).replace(/^ai-sdk-|-ai-sdk-provider$|-ai-provider$/g, '').replace(/[^A-Za-z0-9]/g, '');
}
