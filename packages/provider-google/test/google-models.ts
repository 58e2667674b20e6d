import type { ChatModel } from '@reg/core';
import { TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { buildModel } from '@reg/testkit/vitest';
import { googleAi, vertexAi } from '../src/index.js';

/** A google-ai model pointed at the emulator with its test key; `options` add to or override those. */
export function geminiModel(emulator: RunningEmulator, model: string, options: Record<string, unknown> = {}): ChatModel {
  return buildModel(googleAi, { model, base_url: emulator.baseUrls.gemini, api_key: TEST_CREDENTIALS.gemini, ...options });
}

/** A vertex-ai model pointed at the emulator, with its test API key and the project `reg-project`. */
export function vertexModel(emulator: RunningEmulator, model: string, options: Record<string, unknown> = {}): ChatModel {
  return buildModel(vertexAi, {
    model,
    base_url: emulator.baseUrls.vertex,
    project_id: 'reg-project',
    location: 'us-central1',
    query_params: { key: TEST_CREDENTIALS.vertexApiKey },
    ...options,
  });
}
