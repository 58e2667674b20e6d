import { ClientRegistry } from '@reg/core';
import { anthropic } from '@reg/provider-anthropic';
import { openai } from '@reg/provider-openai';
import { TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';

// Tests assert on warnings; the AI SDK's console copies of them are noise here.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

export const OPENAI_MODEL = 'gpt-4o-mini';
export const ANTHROPIC_MODEL = 'claude-haiku-4-5';

/**
 * `Mini` (openai), `Claude` (anthropic, one quick retry) and `Resilient`: a fallback from Claude
 * to Mini. Each registry is new, so round-robin cursors and budgets do not leak between tests.
 */
export function createRegistry(emulator: RunningEmulator): ClientRegistry {
  const registry = new ClientRegistry({ providers: [openai, anthropic], env: {} });
  registry.addRetryPolicy('Quick', { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 1 } });
  registry.addLlmClient('Mini', 'openai', { model: OPENAI_MODEL, base_url: emulator.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
  registry.addLlmClient('Claude', 'anthropic', { model: ANTHROPIC_MODEL, base_url: emulator.baseUrls.anthropic, api_key: TEST_CREDENTIALS.anthropic }, 'Quick');
  registry.addLlmClient('Resilient', 'fallback', { strategy: ['Claude', 'Mini'] });
  registry.setPrimary('Resilient');
  return registry;
}
