import { InvalidArgumentError } from '@ai-sdk/provider';
import type { CallSettings } from '@reg/core';

/** The AI SDK provider id, and the key of reg's entries in providerOptions and providerMetadata. */
export const PROVIDER_NAME = 'reg';

/** reg call settings an AI SDK call can carry; the AI SDK's own abortSignal is passed as reg's signal. */
export interface RegCallSettings {
  /** Bounds the whole call: every attempt, retry wait and fallback. */
  timeoutMs?: number;
}

/**
 * The settings for one call: the provider's, then the model's, then the call's
 * `providerOptions.reg`; the later ones win.
 */
export function resolveCallSettings(options: {
  client: string;
  signal: AbortSignal | undefined;
  layers: Array<RegCallSettings | Record<string, unknown> | undefined>;
}): CallSettings {
  const settings: CallSettings = { client: options.client };
  if (options.signal !== undefined) settings.signal = options.signal;
  for (const layer of options.layers) {
    const timeoutMs = layer?.timeoutMs;
    if (timeoutMs === undefined) continue;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
      throw new InvalidArgumentError({ argument: 'timeoutMs', message: `reg's timeoutMs must be a positive number of milliseconds, got ${JSON.stringify(timeoutMs)}` });
    }
    settings.timeoutMs = timeoutMs;
  }
  return settings;
}
