import { fileURLToPath } from 'node:url';
import { ClientRegistry } from '@reg/core';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The keys come from the environment, and the SDKs' own base-URL variables point at the emulator.
const FALLBACK_CHAIN = fileURLToPath(new URL('./fixtures/beamlens-fallback.yaml', import.meta.url));

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

it('the fallback chain Primary (anthropic) -> Backup (openai) works as written, providers found by name', async () => {
  const env = {
    ANTHROPIC_API_KEY: TEST_CREDENTIALS.anthropic,
    ANTHROPIC_BASE_URL: emulator.baseUrls.anthropic,
    OPENAI_API_KEY: TEST_CREDENTIALS.openai,
    OPENAI_BASE_URL: emulator.baseUrls.openai,
  };
  emulator.script('claude-haiku-4-5-20251001', { sequence: [{ kind: 'status', status: 529 }] });
  emulator.script('gpt-4o-mini', { reply: { text: 'Backup here.' } });
  // Providers resolve from the config's folder, as in an application that installed them.
  const registry = await ClientRegistry.fromConfig(FALLBACK_CHAIN, { env });
  const result = await registry.generate({ messages: [{ role: 'user', content: 'Hello?' }] });
  expect(result.text).toBe('Backup here.');
  expect(result.attempts.map((attempt) => `${attempt.client}:${attempt.code ?? attempt.status}`)).toEqual(['Primary:overloaded', 'Backup:success']);
  expect(emulator.requests().map((request) => request.vendor)).toEqual(['anthropic', 'openai']);
});
