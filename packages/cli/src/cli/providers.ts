import { FIRST_PARTY_PROVIDERS, isProvider, type Provider } from '@reg/core';

/**
 * The first-party provider packages, imported by the CLI itself and given to registries in code,
 * so that a globally installed `reg` works in a folder whose application has not installed them.
 * Each loads its vendor SDK, so a command loads only the packages its clients use.
 */
const PROVIDER_PACKAGES: Record<string, () => Promise<Record<string, unknown>>> = {
  '@reg/provider-openai': () => import('@reg/provider-openai'),
  '@reg/provider-anthropic': () => import('@reg/provider-anthropic'),
  '@reg/provider-bedrock': () => import('@reg/provider-bedrock'),
  '@reg/provider-google': () => import('@reg/provider-google'),
};

/**
 * The provider definitions of the packages that hold `names` (every first-party provider when
 * `names` is omitted). Names of other providers (plugins, strategies) are core's to resolve.
 */
export async function loadProviders(names?: Iterable<string>): Promise<Provider[]> {
  const packages = new Set<string>();
  for (const name of names ?? Object.keys(FIRST_PARTY_PROVIDERS)) {
    const packageName = FIRST_PARTY_PROVIDERS[name];
    if (packageName && PROVIDER_PACKAGES[packageName]) packages.add(packageName);
  }
  const modules = await Promise.all([...packages].map((packageName) => PROVIDER_PACKAGES[packageName]!()));
  return modules.flatMap((exports) => Object.values(exports).filter(isProvider));
}

/** The provider of a `provider/model` reference, if it is one. */
export function shorthandProvider(reference: string | undefined): string | undefined {
  const slash = reference?.indexOf('/') ?? -1;
  return slash > 0 ? reference!.slice(0, slash) : undefined;
}
