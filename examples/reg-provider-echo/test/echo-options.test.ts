import { ClientRegistry, ConfigError, RegError } from '@reg/core';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { echo } from '../src/index.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator?.close());

it('reports every invalid option at once, each with its config path', async () => {
  const config = {
    clients: [
      { name: 'Fine', provider: 'echo', options: { model: 'm', base_url: 'http://localhost:8000/v1' } },
      { name: 'Broken', provider: 'echo', options: { model: 'm', base_url: 'localhost:8000', temperature: 3, max_tokens: 1.5, headers: { 'x-list': [1] }, api_key: 42 } },
    ],
  };
  const error = await ClientRegistry.fromConfig(config, { providers: [echo] }).catch((thrown: unknown) => thrown);
  expect(ConfigError.isInstance(error)).toBe(true);
  expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
    'clients[1].options.base_url',
    'clients[1].options.api_key',
    'clients[1].options.headers.x-list',
    'clients[1].options.temperature',
    'clients[1].options.max_tokens',
  ]);
  expect((error as ConfigError).message).toContain('must be a number from 0 to 2, not number 3');
});

it('reads the key from ECHO_API_KEY in the registry environment when api_key is not set', async () => {
  const registry = new ClientRegistry({ providers: [echo], env: { ECHO_API_KEY: TEST_CREDENTIALS.openai } });
  registry.addLlmClient('Echo', 'echo', { model: 'env-key', base_url: emulator.baseUrls.openai });
  await registry.generate({ messages: [{ role: 'user', content: 'Hi' }] }, { client: 'Echo' });
  expect(emulator.requests({ model: 'env-key' })[0]?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.openai}`);
});

it('sends no Authorization without a key, and a 401 says where the key goes', async () => {
  const registry = new ClientRegistry({ providers: [echo], env: {} });
  registry.addLlmClient('Echo', 'echo', { model: 'no-key', base_url: emulator.baseUrls.openai });
  const error = await registry.generate({ messages: [{ role: 'user', content: 'Hi' }] }, { client: 'Echo' }).catch((thrown: unknown) => thrown);
  expect(emulator.requests({ model: 'no-key' })[0]?.headers.authorization).toBeUndefined();
  expect(RegError.isInstance(error) && { code: error.code, status: error.status, retryable: error.retryable }).toEqual({ code: 'auth', status: 401, retryable: false });
  expect((error as RegError).message).toContain('Check options.api_key (or ECHO_API_KEY)');
});
