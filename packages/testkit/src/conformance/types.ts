import type { ModelProvider } from '@reg/core';
import type { RunningEmulator, VendorBaseUrls } from '../emulator/start-emulator.js';

/** The vendor APIs a provider can be checked against (the emulator's own token endpoint is not one). */
export type ConformanceVendor = 'openai' | 'azure' | 'openrouter' | 'anthropic' | 'bedrock' | 'gemini' | 'vertex';

/** Where a client under test must point, and the model name the emulator scripts it by. */
export interface ConformanceTarget {
  emulator: RunningEmulator;
  /**
   * Base URLs to use. Usually the emulator's; for the connect-timeout check they point at a
   * listener that never completes a TCP handshake.
   */
  baseUrls: VendorBaseUrls;
  /** The model name to configure; each check uses its own, so scripts and request logs never mix. */
  model: string;
}

/** Every check of the suite, by name; a provider may skip one only with a reason. */
export type ConformanceCheck =
  | 'text'
  | 'stream'
  | 'system-prompt'
  | 'multi-turn-tools'
  | 'tool-calls'
  | 'tool-calls-stream'
  | 'usage'
  | 'errors'
  | 'stream-errors'
  | 'one-request-per-attempt'
  | 'client-reuse'
  | 'abort'
  | 'request-timeout'
  | 'time-to-first-token-timeout'
  | 'idle-timeout'
  | 'connect-timeout'
  | 'connection-guard'
  | 'secrets';

export interface TestProviderOptions {
  /** The provider definition under test. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any provider's options type
  provider: ModelProvider<any>;
  /** Which emulated API the provider talks to. */
  vendor: ConformanceVendor;
  /** Client options (as a config would give them) that point the provider at the target. */
  options(target: ConformanceTarget): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** The environment the registry reads credentials from (default: empty). */
  env?: Record<string, string | undefined>;
  /** Extra secret strings that must never appear in errors or events (the vendor's test keys are always checked). */
  secrets?: string[];
  /** Checks this provider cannot pass, each with the reason printed in the test name. */
  skip?: Partial<Record<ConformanceCheck, string>>;
  /** The describe block's title (default: `conformance: <provider name> against <vendor>`). */
  title?: string;
}
