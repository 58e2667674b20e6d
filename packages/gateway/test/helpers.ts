import { anthropic } from '@reg/provider-anthropic';
import { openai } from '@reg/provider-openai';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { MemoryStateStore, type RegConfig } from '@reg/core';
import OpenAI from 'openai';
import { startGateway, type GatewayOptions, type RunningGateway } from '../src/index.js';

export const GATEWAY_KEY = 'gw-test-key-0001';
export const PROVIDERS = [openai, anthropic];

/** A server config whose clients answer from the emulator. */
export function serverConfig(emulator: RunningEmulator): RegConfig {
  return {
    primary: 'Mini',
    clients: [
      { name: 'Mini', provider: 'openai', options: { model: 'gpt-4o-mini', base_url: emulator.baseUrls.openai, api_key: TEST_CREDENTIALS.openai } },
      { name: 'Claude', provider: 'anthropic', options: { model: 'claude-haiku-4-5', base_url: emulator.baseUrls.anthropic, api_key: TEST_CREDENTIALS.anthropic } },
      // Tests fail Broken on purpose, one status after another: no breaker or 429 cooldown, so each reaches the emulator.
      { name: 'Broken', provider: 'openai', options: { model: 'broken', base_url: emulator.baseUrls.openai, api_key: TEST_CREDENTIALS.openai, circuit_breaker: false } },
      { name: 'Resilient', provider: 'fallback', options: { strategy: ['Broken', 'Mini'] } },
      { name: 'Retrying', provider: 'openai', retry_policy: 'Quick', options: { model: 'flaky', base_url: emulator.baseUrls.openai, api_key: TEST_CREDENTIALS.openai } },
      { name: 'FromEnv', provider: 'openai', options: { model: 'from-env', base_url: emulator.baseUrls.openai, api_key: '${OPENAI_API_KEY}' } },
    ],
    retry_policies: { Quick: { max_retries: 2, strategy: { type: 'constant_delay', delay_ms: 1 } } },
  };
}

export interface Setup {
  emulator: RunningEmulator;
  gateway: RunningGateway;
  client: OpenAI;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function setup(overrides: Partial<GatewayOptions> = {}, emulatorIn?: RunningEmulator): Promise<Setup> {
  const emulator = emulatorIn ?? (await startEmulator());
  const logs: Array<Record<string, unknown>> = [];
  const gateway = await startGateway({
    config: serverConfig(emulator),
    port: 0,
    host: '127.0.0.1',
    keys: [GATEWAY_KEY],
    env: { OPENAI_API_KEY: TEST_CREDENTIALS.openai },
    providers: PROVIDERS,
    log: (entry) => logs.push(entry),
    store: new MemoryStateStore(),
    ...overrides,
  });
  const client = sdk(gateway);
  return {
    emulator,
    gateway,
    client,
    logs,
    async close() {
      await gateway.close();
      if (!emulatorIn) await emulator.close();
    },
  };
}

export function sdk(gateway: RunningGateway, apiKey = GATEWAY_KEY): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
}

/** A raw POST to the gateway (for bodies and headers the SDK would not send). */
export async function post(gateway: RunningGateway, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
