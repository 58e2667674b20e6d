import type { ChatModel, HttpTimeouts } from '@reg/core';
import { TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { buildModel } from '@reg/testkit/vitest';
import { anthropic } from '../src/index.js';

/** Client options (as a config gives them) that point the `anthropic` provider at the emulator. */
export function clientOptions(emulator: RunningEmulator, model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model, base_url: emulator.baseUrls.anthropic, api_key: TEST_CREDENTIALS.anthropic, ...extra };
}

/** An `anthropic` model on the emulator, built as the registry builds it (`http`: the client's `options.http`). */
export function anthropicModel(emulator: RunningEmulator, model: string, extra: Record<string, unknown> = {}, http?: HttpTimeouts): ChatModel {
  return buildModel(anthropic, clientOptions(emulator, model, extra), http ? { http } : {});
}
