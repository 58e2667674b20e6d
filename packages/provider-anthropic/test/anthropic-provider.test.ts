import { ClientRegistry, ConfigError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { failure, useEmulator, user } from '@reg/testkit/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { anthropic } from '../src/index.js';
import { clientOptions } from './anthropic-test-client.js';

const emulator = useEmulator();
const hello = user('Hello');

afterEach(() => vi.unstubAllEnvs());

describe('anthropic declarations', () => {
  it('declares explicit credentials, guarded connections, base_url as its endpoint, and its capabilities', () => {
    expect(anthropic).toMatchObject({
      credentials: 'explicit',
      guardsConnections: true,
      endpointOptions: ['base_url'],
      capabilities: { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: ['application/pdf', 'text/plain'] },
    });
  });

  it('serves a registry of explicit credentials, reading nothing from process.env behind it', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-api03-from-the-server-process');
    vi.stubEnv('ANTHROPIC_CUSTOM_HEADERS', 'X-Server-Secret: from-the-server-process');
    const cr = new ClientRegistry({ providers: [anthropic], env: {}, credentials: 'explicit' });
    cr.addLlmClient('Claude', 'anthropic', clientOptions(emulator.current, 'claude-explicit'));
    cr.addLlmClient('Keyless', 'anthropic', { model: 'claude-keyless', base_url: emulator.current.baseUrls.anthropic });
    expect((await cr.generate(hello, { client: 'Claude' })).text).toBe('echo: Hello');
    const [request] = emulator.current.requests({ model: 'claude-explicit' });
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.anthropic}`);
    expect(request?.headers).not.toHaveProperty('x-server-secret');
    expect(await failure(cr.generate(hello, { client: 'Keyless' }))).toMatchObject({ code: 'missing_credentials', client: 'Keyless' });
    expect(emulator.current.requests({ model: 'claude-keyless' })).toHaveLength(0);
  });

  it("sends the ANTHROPIC_CUSTOM_HEADERS of the registry's environment, under the client's own headers", async () => {
    const env = { ANTHROPIC_CUSTOM_HEADERS: 'X-Proxy-Team: search\nanthropic-beta: from-the-environment' };
    const cr = new ClientRegistry({ providers: [anthropic], env });
    cr.addLlmClient('Claude', 'anthropic', clientOptions(emulator.current, 'claude-custom-headers', { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } }));
    await cr.generate(hello, { client: 'Claude' });
    const [request] = emulator.current.requests({ model: 'claude-custom-headers' });
    expect(request?.headers['x-proxy-team']).toBe('search');
    expect(request?.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
  });

  it("has the registry's connection guard check base_url when the config loads", async () => {
    const connectionGuard = {
      resolve: async () => ({ address: '127.0.0.1', family: 4 as const }),
      refusal: async (url: unknown) => (String(url).includes('169.254.169.254') ? 'is a link-local address' : undefined),
    };
    const config = { clients: [{ name: 'Claude', provider: 'anthropic', options: { model: 'claude-x', api_key: 'sk-ant-x', base_url: 'http://169.254.169.254/v1' } }] };
    const error = await failure(ClientRegistry.fromConfig(config, { providers: [anthropic], env: {}, connectionGuard }));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([{ path: 'clients[0].options.base_url', message: 'is a link-local address' }]);
  });
});
