import type { ModelProvider, ProviderCapabilities } from '@reg/core';

/** The yes-or-no capabilities a check may need. */
export type Capability = Exclude<keyof ProviderCapabilities, 'fileTypes'>;

/**
 * What a provider that declares no capabilities at all is checked for: what the suite checked
 * before providers declared them (streams and tools, not images or JSON schemas).
 */
const UNDECLARED: Readonly<ProviderCapabilities> = { streaming: true, tools: true, images: false, jsonSchema: false, fileTypes: [] };

/** The first capability a check needs that the provider does not declare, or undefined when it may run. */
export function missingCapability(provider: Pick<ModelProvider<unknown>, 'capabilities'>, needs: readonly Capability[]): Capability | undefined {
  const declared = provider.capabilities;
  return needs.find((capability) => (declared === undefined ? !UNDECLARED[capability] : declared[capability] !== true));
}
