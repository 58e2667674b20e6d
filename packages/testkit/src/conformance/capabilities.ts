import { takesMediaType, type ModelProvider, type ProviderCapabilities } from '@reg/core';

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

/**
 * What the files check does with a file of `mediaType`, by the provider's declarations:
 * - `sent`: a declared file type (`takenBy`, wildcards count) takes it, so it must reach the vendor;
 * - `refused`: the provider declares capabilities but no file type that takes it, so core must
 *   refuse it before any request;
 * - `unchecked`: the provider declares no capabilities, so nothing refuses it before the request
 *   and nothing says it should reach the vendor.
 */
export type FileExpectation = { row: 'sent'; takenBy: string } | { row: 'refused' } | { row: 'unchecked' };

export function fileExpectation(provider: Pick<ModelProvider<unknown>, 'capabilities'>, mediaType: string): FileExpectation {
  const declared = provider.capabilities;
  if (declared === undefined) return { row: 'unchecked' };
  const takenBy = (declared.fileTypes ?? []).find((entry) => takesMediaType([entry], mediaType));
  return takenBy === undefined ? { row: 'refused' } : { row: 'sent', takenBy };
}
