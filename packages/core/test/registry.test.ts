import { describe, expect, it } from 'vitest';
import { ClientRegistry, ConfigError, DEFAULT_CLIENT, MemoryStateStore, NoSuchClientError, NoSuchProviderError } from '@reg/core';
import { createScriptedProvider, user } from './scripted-provider.js';

describe('ClientRegistry', () => {
  it('calls the primary client and reports who answered', async () => {
    const scripted = createScriptedProvider();
    scripted.script('m1', [{ text: 'hello' }]);
    const registry = new ClientRegistry({ providers: [scripted.provider], store: new MemoryStateStore() });
    registry.addLlmClient('Fast', 'scripted', { model: 'm1', temperature: 0.3 });
    registry.setPrimary('Fast');
    const result = await registry.generate(user('Hi'));
    expect(result.text).toBe('hello');
    expect(result).toMatchObject({ client: 'Fast', provider: 'scripted', model: 'm1', finishReason: 'stop' });
    expect(result.usage).toEqual({ inputTokens: 3, outputTokens: 5, totalTokens: 8 });
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ client: 'Fast', status: 'success' });
  });

  it('defaults the primary to anthropic claude-haiku-4-5 when nothing is configured', () => {
    const registry = new ClientRegistry();
    expect(registry.primary).toBe(DEFAULT_CLIENT);
    expect(DEFAULT_CLIENT).toBe('anthropic/claude-haiku-4-5-20251001');
  });

  it('throws at once when setPrimary names an unknown client', () => {
    const registry = new ClientRegistry();
    registry.addLlmClient('Known', 'scripted', { model: 'm' });
    expect(() => registry.setPrimary('Nope')).toThrow(NoSuchClientError);
    expect(() => registry.setPrimary('Nope')).toThrow(/Known clients: Known/);
  });

  it('overrides the client per call, by name or provider/model shorthand', async () => {
    const scripted = createScriptedProvider();
    scripted.script('m1', [{ text: 'one' }]);
    scripted.script('m2', [{ text: 'two' }]);
    const registry = new ClientRegistry({ providers: [scripted.provider] });
    registry.addLlmClient('One', 'scripted', { model: 'm1' });
    registry.setPrimary('One');
    expect((await registry.generate(user('x'), { client: 'scripted/m2' })).text).toBe('two');
    const shorthand = await registry.generate(user('x'), { client: 'scripted/m2' });
    expect(shorthand).toMatchObject({ client: 'scripted/m2', model: 'm2' });
    expect((await registry.generate(user('x'))).text).toBe('one');
  });

  it('replaces a client added again under the same name', async () => {
    const scripted = createScriptedProvider();
    scripted.script('old', [{ text: 'old' }]);
    scripted.script('new', [{ text: 'new' }]);
    const registry = new ClientRegistry({ providers: [scripted.provider] });
    registry.addLlmClient('C', 'scripted', { model: 'old' });
    expect((await registry.generate(user('x'), { client: 'C' })).text).toBe('old');
    registry.addLlmClient('C', 'scripted', { model: 'new' });
    expect((await registry.generate(user('x'), { client: 'C' })).text).toBe('new');
  });

  it('builds a model once per client, and once for identical options across registries', async () => {
    const scripted = createScriptedProvider();
    const env = {};
    const first = new ClientRegistry({ providers: [scripted.provider], env });
    first.addLlmClient('A', 'scripted', { model: 'shared', temperature: 0.1 });
    for (let index = 0; index < 3; index++) await first.generate(user('x'), { client: 'A' });
    expect(scripted.modelsBuilt).toBe(1);
    // A registry per request, as a gateway makes them: same options, same env -> same model.
    for (let index = 0; index < 3; index++) {
      const perRequest = new ClientRegistry({ providers: [scripted.provider], env });
      perRequest.addLlmClient('B', 'scripted', { temperature: 0.1, model: 'shared' });
      await perRequest.generate(user('x'), { client: 'B' });
    }
    expect(scripted.modelsBuilt).toBe(1);
    // Another environment (e.g. a request that must not see the server's keys) gets its own model.
    const isolated = new ClientRegistry({ providers: [scripted.provider], env: {} });
    isolated.addLlmClient('B', 'scripted', { temperature: 0.1, model: 'shared' });
    await isolated.generate(user('x'), { client: 'B' });
    expect(scripted.modelsBuilt).toBe(2);
  });

  it('rejects bad addLlmClient arguments with their path', () => {
    const registry = new ClientRegistry();
    expect(() => registry.addLlmClient('a/b', 'scripted', {})).toThrow(ConfigError);
    try {
      registry.addLlmClient('ok', '', [] as unknown as Record<string, unknown>, 5 as unknown as string);
      expect.unreachable();
    } catch (error) {
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
        "addLlmClient('ok').provider",
        "addLlmClient('ok').options",
        "addLlmClient('ok').retry_policy",
      ]);
    }
  });

  it('fails an unknown provider with NoSuchProviderError naming what is known and the package', async () => {
    const registry = new ClientRegistry({ baseDir: '/nonexistent' });
    registry.addLlmClient('X', 'acme-llm', { model: 'm' });
    const error = await registry.generate(user('x'), { client: 'X' }).catch((thrown: unknown) => thrown);
    expect(NoSuchProviderError.isInstance(error)).toBe(true);
    expect((error as NoSuchProviderError).message).toMatch(/Unknown provider 'acme-llm' for client 'X'/);
    expect((error as NoSuchProviderError).knownProviders).toContain('anthropic');
  });

  it('names the first-party package to install when its provider is not installed', async () => {
    const registry = new ClientRegistry({ baseDir: '/nonexistent' });
    const error = await registry.generate(user('x'), { client: 'aws-bedrock/anthropic.claude-3-5-haiku-20241022-v1:0' }).catch((thrown: unknown) => thrown);
    expect(NoSuchProviderError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('pnpm add @reg/provider-bedrock');
  });

  it('rejects an empty request with invalid_request', async () => {
    const scripted = createScriptedProvider();
    const registry = new ClientRegistry({ providers: [scripted.provider] });
    registry.addLlmClient('A', 'scripted', { model: 'm' });
    await expect(registry.generate({ messages: [] }, { client: 'A' })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(scripted.calls).toHaveLength(0);
  });

  it('wraps an unexpected provider exception in a RegError with the client named', async () => {
    const scripted = createScriptedProvider();
    scripted.script('m', [{ crash: 'boom' }]);
    const registry = new ClientRegistry({ providers: [scripted.provider] });
    registry.addLlmClient('A', 'scripted', { model: 'm' });
    await expect(registry.generate(user('x'), { client: 'A' })).rejects.toMatchObject({ code: 'server', client: 'A', retryable: false, message: expect.stringContaining('boom') });
  });
});
