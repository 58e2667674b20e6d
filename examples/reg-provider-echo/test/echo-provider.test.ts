import { ClientRegistry, ConfigError, type ConnectionGuard } from '@reg/core';
import { failure, useEmulator } from '@reg/testkit/vitest';
import { expect, it } from 'vitest';
import { echo } from '../src/index.js';
import { ECHO_TEST_KEY, echoBaseUrl, echoRoutes } from '../src/testing/index.js';

const emulator = useEmulator({ routes: echoRoutes });

/** A host's guard, as the gateway sets on request-defined registries: loopback only, and checked when a config loads. */
const loopbackOnly: ConnectionGuard = {
  resolve: async (hostname) => {
    if (hostname !== '127.0.0.1') throw new Error(`${hostname} is not allowed`);
    return { address: hostname, family: 4 };
  },
  refusal: async (url) => (new URL(String(url)).hostname === '127.0.0.1' ? undefined : 'is not an allowed endpoint'),
};

const config = (baseUrl: string) => ({
  clients: [{ name: 'Echo', provider: 'echo', options: { model: 'declared', base_url: baseUrl, api_key: ECHO_TEST_KEY } }],
});

it('is usable where only explicit credentials and guarded connections are (a gateway request-defined registry)', async () => {
  const registry = await ClientRegistry.fromConfig(config(echoBaseUrl(emulator.current.url)), {
    providers: [echo],
    env: {},
    credentials: 'explicit',
    connectionGuard: loopbackOnly,
  });
  const result = await registry.generate({ messages: [{ role: 'user', content: 'Guarded.' }] }, { client: 'Echo' });
  expect(result.text).toBe('echo: Guarded.');
});

it('declares base_url as its endpoint, so a guard refuses a config pointing elsewhere before any call', async () => {
  const error = await failure(
    ClientRegistry.fromConfig(config('http://10.1.2.3/echo/v1'), { providers: [echo], env: {}, credentials: 'explicit', connectionGuard: loopbackOnly }),
  );
  expect(ConfigError.isInstance(error)).toBe(true);
  expect((error as ConfigError).issues).toEqual([{ path: 'clients[0].options.base_url', message: 'is not an allowed endpoint' }]);
  expect(emulator.current.requests()).toHaveLength(0);
});

it('declares what its models can do, as data', () => {
  expect(echo.capabilities).toEqual({ streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: ['application/pdf', 'text/plain', 'audio/wav'] });
  expect({ credentials: echo.credentials, guardsConnections: echo.guardsConnections, endpointOptions: echo.endpointOptions }).toEqual({
    credentials: 'explicit',
    guardsConnections: true,
    endpointOptions: ['base_url'],
  });
});
