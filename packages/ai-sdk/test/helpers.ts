import { ClientRegistry } from '@reg/core';
import { anthropic } from '@reg/provider-anthropic';
import { openai } from '@reg/provider-openai';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, beforeEach } from 'vitest';

// Tests assert on warnings; the AI SDK's console copies of them are noise here.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

/** Starts one emulator for the file and clears its scripts and request log between tests. */
export function useEmulator(): { readonly current: RunningEmulator } {
  const holder = {} as { current: RunningEmulator };
  beforeAll(async () => {
    holder.current = await startEmulator();
  });
  afterAll(() => holder.current.close());
  beforeEach(() => holder.current.reset());
  return holder;
}

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

/** The JSON body of the n-th request the emulator received for a model. */
export function body(emulator: RunningEmulator, model: string, index = 0): Record<string, unknown> {
  const request = emulator.requests({ model })[index];
  if (!request) throw new Error(`no request #${index} for ${model}`);
  return request.body as Record<string, unknown>;
}

/** The rejection of a promise that must fail. */
export async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}
