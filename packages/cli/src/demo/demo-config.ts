import type { RegConfig } from '@reg/core';
import { TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';

/**
 * The demo's clients, as an application would write them. Only base URLs and keys come from the
 * environment, where the demo puts the local emulator's; with real ones the same config talks to
 * the vendors.
 */
export const DEMO_CONFIG: RegConfig = {
  retry_policies: {
    Once: { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 50 } },
    HonourRetryAfter: { max_retries: 2, strategy: { type: 'constant_delay', delay_ms: 50 }, max_retry_after_ms: 5000 },
  },
  clients: [
    {
      name: 'Claude',
      provider: 'anthropic',
      retry_policy: 'Once',
      options: { model: 'claude-sonnet-5-5', base_url: '${ANTHROPIC_BASE_URL}', api_key: '${ANTHROPIC_API_KEY}' },
    },
    {
      name: 'Gemini',
      provider: 'google-ai',
      options: { model: 'gemini-2.0-flash', base_url: '${GEMINI_BASE_URL}', api_key: '${GOOGLE_API_KEY}' },
    },
    {
      name: 'Bedrock',
      provider: 'aws-bedrock',
      options: {
        model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
        region: 'us-east-1',
        endpoint_url: '${BEDROCK_ENDPOINT_URL}',
        access_key_id: '${AWS_ACCESS_KEY_ID}',
        secret_access_key: '${AWS_SECRET_ACCESS_KEY}',
      },
    },
    {
      name: 'GPT',
      provider: 'openai',
      retry_policy: 'Once',
      options: { model: 'gpt-4o', base_url: '${OPENAI_BASE_URL}', api_key: '${OPENAI_API_KEY}' },
    },
    { name: 'Resilient', provider: 'fallback', options: { strategy: ['Claude', 'Gemini', 'Bedrock', 'GPT'] } },
    {
      name: 'Mini',
      provider: 'openai',
      retry_policy: 'HonourRetryAfter',
      options: { model: 'gpt-4o-mini', base_url: '${OPENAI_BASE_URL}', api_key: '${OPENAI_API_KEY}' },
    },
    {
      name: 'KeyA',
      provider: 'anthropic',
      options: { model: 'claude-haiku-4-5-20251001', base_url: '${ANTHROPIC_BASE_URL}', api_key: '${ANTHROPIC_KEY_A}' },
    },
    {
      name: 'KeyB',
      provider: 'anthropic',
      options: { model: 'claude-haiku-4-5-20251001', base_url: '${ANTHROPIC_BASE_URL}', api_key: '${ANTHROPIC_KEY_B}' },
    },
    { name: 'Balanced', provider: 'round-robin', options: { strategy: ['KeyA', 'KeyB'] } },
  ],
  primary: 'Resilient',
};

/** The gateway's environment: the emulator's base URLs and the credentials it accepts. */
export function demoEnv(emulator: RunningEmulator): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: emulator.baseUrls.anthropic,
    ANTHROPIC_API_KEY: TEST_CREDENTIALS.anthropic,
    // The emulator accepts one Anthropic key; two names stand for an account's two keys.
    ANTHROPIC_KEY_A: TEST_CREDENTIALS.anthropic,
    ANTHROPIC_KEY_B: TEST_CREDENTIALS.anthropic,
    GEMINI_BASE_URL: emulator.baseUrls.gemini,
    GOOGLE_API_KEY: TEST_CREDENTIALS.gemini,
    BEDROCK_ENDPOINT_URL: emulator.baseUrls.bedrock,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.aws.secretAccessKey,
    OPENAI_BASE_URL: emulator.baseUrls.openai,
    OPENAI_API_KEY: TEST_CREDENTIALS.openai,
  };
}

/** How the vendors behave during the demo; the emulator scripts each model by name. */
export function scriptVendors(emulator: RunningEmulator): void {
  const overloaded = { kind: 'status', status: 529 } as const;
  emulator.script('claude-sonnet-5-5', { sequence: Array.from({ length: 8 }, () => overloaded) });
  // Gemini is out of quota for 30 s (longer than any retry would wait), Bedrock is unavailable.
  const exhausted = { kind: 'status', status: 429, type: 'RESOURCE_EXHAUSTED', retryAfterSeconds: 30 } as const;
  emulator.script('gemini-2.0-flash', { sequence: Array.from({ length: 4 }, () => exhausted) });
  const unavailable = { kind: 'status', status: 503, type: 'ServiceUnavailableException' } as const;
  emulator.script('anthropic.claude-3-5-haiku-20241022-v1:0', { sequence: Array.from({ length: 4 }, () => unavailable) });
  emulator.script('gpt-4o', { reply: { text: 'Hello from GPT, the fallback.' }, latencyMs: 20 });
  emulator.script('gpt-4o-mini', {
    reply: { text: 'Hello from GPT mini, after waiting as asked.' },
    sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 1 }],
  });
  emulator.script('claude-haiku-4-5-20251001', { reply: { text: 'Balanced hello.' }, latencyMs: 10 });
}
