import { ClientRegistry, ConfigError, MissingCredentialsError, RegError } from '@reg/core';
import { failure, useEmulator } from '@reg/testkit/vitest';
import { expect, it } from 'vitest';
import { echo } from '../src/index.js';
import { ECHO_TEST_KEY, echoBaseUrl, echoRoutes } from '../src/testing/index.js';

const emulator = useEmulator({ routes: echoRoutes });

it('reports every invalid option at once, each with its config path', async () => {
  const config = {
    clients: [
      { name: 'Fine', provider: 'echo', options: { model: 'm', base_url: 'http://localhost:8000/echo/v1' } },
      { name: 'Broken', provider: 'echo', options: { model: 'm', base_url: 'localhost:8000', temperature: 3, max_tokens: 1.5, headers: { 'x-list': [1] }, api_key: 42 } },
    ],
  };
  const error = await failure(ClientRegistry.fromConfig(config, { providers: [echo] }));
  expect(ConfigError.isInstance(error)).toBe(true);
  expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
    'clients[1].options.base_url',
    'clients[1].options.api_key',
    'clients[1].options.headers.x-list',
    'clients[1].options.temperature',
    'clients[1].options.max_tokens',
  ]);
  expect((error as ConfigError).message).toContain('must be at most 2, not 3');
  // A key with a typo is never echoed back.
  expect((error as ConfigError).message).not.toContain('42');
});

it('reads the key from ECHO_API_KEY in the registry environment when api_key is not set', async () => {
  const registry = new ClientRegistry({ providers: [echo], env: { ECHO_API_KEY: ECHO_TEST_KEY } });
  registry.addLlmClient('Echo', 'echo', { model: 'env-key', base_url: echoBaseUrl(emulator.current.url) });
  await registry.generate({ messages: [{ role: 'user', content: 'Hi' }] }, { client: 'Echo' });
  expect(emulator.current.requests({ model: 'env-key' })[0]?.headers['x-echo-key']).toBe(ECHO_TEST_KEY);
});

it('without a key the client fails before any request, naming api_key and ECHO_API_KEY', async () => {
  const registry = new ClientRegistry({ providers: [echo], env: {} });
  registry.addLlmClient('Echo', 'echo', { model: 'no-key', base_url: echoBaseUrl(emulator.current.url) });
  const error = await failure(registry.generate({ messages: [{ role: 'user', content: 'Hi' }] }, { client: 'Echo' }));
  expect(MissingCredentialsError.isInstance(error)).toBe(true);
  expect((error as RegError).message).toContain('api_key');
  expect((error as RegError).message).toContain('ECHO_API_KEY');
  expect(emulator.current.requests({ model: 'no-key' })).toHaveLength(0);
});

it('a wrong key is a 401 that says where the key goes', async () => {
  const registry = new ClientRegistry({ providers: [echo], env: {} });
  registry.addLlmClient('Echo', 'echo', { model: 'wrong-key', base_url: echoBaseUrl(emulator.current.url), api_key: 'not-the-key-0000' });
  const error = await failure(registry.generate({ messages: [{ role: 'user', content: 'Hi' }] }, { client: 'Echo' }));
  expect(emulator.current.requests({ model: 'wrong-key' })[0]?.headers['x-echo-key']).toBe('not-the-key-0000');
  expect(RegError.isInstance(error) && { code: error.code, status: error.status, retryable: error.retryable }).toEqual({ code: 'auth', status: 401, retryable: false });
  expect((error as RegError).message).toContain('Check options.api_key (or ECHO_API_KEY)');
});
