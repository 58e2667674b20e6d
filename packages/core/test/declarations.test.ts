import { describe, expect, it } from 'vitest';
import { ClientRegistry, ConfigError, defineProvider, isProvider, isStrategy, MemoryStateStore, type ConnectionGuard } from '@reg/core';
import { createScriptedProvider, user } from './scripted-provider.js';

/** A guard that refuses every endpoint naming `refused.example`, and resolves everything else to loopback. */
const guard: ConnectionGuard = {
  resolve: async () => ({ address: '127.0.0.1', family: 4 }),
  refusal: async (url) => (String(url).includes('refused.example') ? 'is not on the allow-list' : undefined),
};

/** The scripted provider, declaring what a host needs to know. */
function declared(credentials: 'explicit' | 'ambient' | undefined) {
  const scripted = createScriptedProvider('declared');
  return defineProvider({ ...scripted.provider, guardsConnections: true, endpointOptions: ['base_url'], ...(credentials ? { credentials } : {}) });
}

describe('one verb for both kinds of plugin', () => {
  it('marks model providers and strategies alike; isStrategy tells them apart', async () => {
    const provider = declared('explicit');
    expect(isProvider(provider)).toBe(true);
    expect(isStrategy(provider)).toBe(false);
    const registry = new ClientRegistry({ providers: [provider], store: new MemoryStateStore() });
    registry.addLlmClient('A', 'declared', { model: 'a' });
    registry.addLlmClient('F', 'fallback', { strategy: ['A'] });
    const [leaf, strategy] = await registry.describeClients();
    expect(isStrategy(leaf!.provider)).toBe(false);
    expect(isStrategy(strategy!.provider)).toBe(true);
    expect(isProvider({ name: 'lookalike', parseOptions() {}, createModel() {} })).toBe(false);
  });
});

describe('describeClients', () => {
  it('gives each client its provider, members and nesting depth, walked once by core', async () => {
    const scripted = createScriptedProvider();
    const registry = await ClientRegistry.fromConfig(
      {
        clients: [
          { name: 'A', provider: 'scripted', options: { model: 'a' } },
          { name: 'B', provider: 'scripted', options: { model: 'b' } },
          { name: 'Inner', provider: 'round-robin', options: { strategy: ['A', 'B'] } },
          { name: 'Outer', provider: 'fallback', options: { strategy: ['Inner', 'scripted/c'] } },
          { name: 'Hedged', provider: 'hedge', options: { strategy: ['Outer', 'A'], delay_ms: 10 } },
        ],
      },
      { providers: [scripted.provider], env: {} },
    );
    const described = await registry.describeClients();
    expect(described.map(({ name, path, provider, members, depth }) => ({ name, path, provider: provider.name, members, depth }))).toEqual([
      { name: 'A', path: 'clients[0]', provider: 'scripted', members: [], depth: 0 },
      { name: 'B', path: 'clients[1]', provider: 'scripted', members: [], depth: 0 },
      { name: 'Inner', path: 'clients[2]', provider: 'round-robin', members: ['A', 'B'], depth: 1 },
      { name: 'Outer', path: 'clients[3]', provider: 'fallback', members: ['Inner', 'scripted/c'], depth: 2 },
      { name: 'Hedged', path: 'clients[4]', provider: 'hedge', members: ['Outer', 'A'], depth: 3 },
    ]);
  });
});

describe('credentials: explicit', () => {
  it('refuses providers that do not declare explicit credentials, at the client path', async () => {
    const ambient = declared('ambient');
    const silent = defineProvider({ ...declared(undefined), name: 'silent' });
    const explicit = defineProvider({ ...declared('explicit'), name: 'explicit' });
    const error = await ClientRegistry.fromConfig(
      {
        clients: [
          { name: 'A', provider: 'declared', options: { model: 'a' } },
          { name: 'S', provider: 'silent', options: { model: 's' } },
          { name: 'E', provider: 'explicit', options: { model: 'e' } },
        ],
      },
      { providers: [ambient, silent, explicit], env: {}, credentials: 'explicit' },
    ).catch((thrown: unknown) => thrown);
    expect(ConfigError.isInstance(error)).toBe(true);
    const issues = (error as ConfigError).issues;
    expect(issues.map((issue) => issue.path)).toEqual(['clients[0].provider', 'clients[1].provider']);
    expect(issues[0]!.message).toMatch(/^'declared' uses ambient server credentials/);
    expect(issues[1]!.message).toMatch(/^'silent' uses ambient server credentials/);
  });

  it('lets every provider in by default', async () => {
    const registry = new ClientRegistry({ providers: [declared('ambient')], store: new MemoryStateStore() });
    registry.addLlmClient('A', 'declared', { model: 'a' });
    expect((await registry.generate(user('x'), { client: 'A' })).text).toBe('reply from a');
  });
});

describe('endpointOptions and the connection guard', () => {
  it("asks the guard's refusal about each declared endpoint when the config loads", async () => {
    const provider = declared('explicit');
    const error = await ClientRegistry.fromConfig(
      {
        clients: [
          { name: 'Refused', provider: 'declared', options: { model: 'a', base_url: 'https://refused.example/v1' } },
          { name: 'Allowed', provider: 'declared', options: { model: 'b', base_url: 'https://allowed.example/v1' } },
          // Not a declared endpoint option: never asked about.
          { name: 'Other', provider: 'declared', options: { model: 'c', app_url: 'https://refused.example/app' } },
        ],
      },
      { providers: [provider], env: {}, connectionGuard: guard },
    ).catch((thrown: unknown) => thrown);
    expect((error as ConfigError).issues).toEqual([{ path: 'clients[0].options.base_url', message: 'is not on the allow-list' }]);
  });
});

describe('fixed per-client settings', () => {
  it('builds one model per distinct options.http, and reuses it across registries', async () => {
    const scripted = createScriptedProvider();
    const env = {};
    const registry = new ClientRegistry({ providers: [scripted.provider], env, store: new MemoryStateStore() });
    registry.addLlmClient('Slow', 'scripted', { model: 'm', http: { connect_timeout_ms: 5000 } });
    registry.addLlmClient('Quick', 'scripted', { model: 'm', http: { connect_timeout_ms: 250 } });
    registry.addLlmClient('QuickToo', 'scripted', { model: 'm', http: { connect_timeout_ms: 250 } });
    for (const client of ['Slow', 'Quick', 'QuickToo']) await registry.generate(user('x'), { client });
    expect(scripted.modelsBuilt).toBe(2);
    expect(scripted.calls.map((call) => call.http.connectTimeoutMs)).toEqual([5000, 250, 250]);
    const again = new ClientRegistry({ providers: [scripted.provider], env, store: new MemoryStateStore() });
    again.addLlmClient('Quick', 'scripted', { model: 'm', http: { connect_timeout_ms: 250 } });
    await again.generate(user('x'), { client: 'Quick' });
    expect(scripted.modelsBuilt).toBe(2);
  });
});
