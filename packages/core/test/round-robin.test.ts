import { describe, expect, it } from 'vitest';
import { ClientRegistry, MemoryStateStore } from '@reg/core';
import { createScriptedProvider, user } from './scripted-provider.js';

describe('round-robin', () => {
  function setup(options: Record<string, unknown> = {}, store = new MemoryStateStore()) {
    const scripted = createScriptedProvider();
    const registry = new ClientRegistry({ providers: [scripted.provider], store });
    for (const name of ['A', 'B', 'C']) registry.addLlmClient(name, 'scripted', { model: name.toLowerCase() });
    registry.addLlmClient('RR', 'round-robin', { strategy: ['A', 'B', 'C'], ...options });
    return { scripted, registry, store };
  }

  it('sends each call to the next member in order', async () => {
    const { registry } = setup();
    const answered = [];
    for (let index = 0; index < 7; index++) answered.push((await registry.generate(user('x'), { client: 'RR' })).client);
    expect(answered).toEqual(['A', 'B', 'C', 'A', 'B', 'C', 'A']);
  });

  it('starts at `start`', async () => {
    const { registry } = setup({ start: 2 });
    const answered = [];
    for (let index = 0; index < 4; index++) answered.push((await registry.generate(user('x'), { client: 'RR' })).client);
    expect(answered).toEqual(['C', 'A', 'B', 'C']);
  });

  it('spreads concurrent calls evenly', async () => {
    const { registry } = setup();
    const results = await Promise.all(Array.from({ length: 30 }, () => registry.generate(user('x'), { client: 'RR' })));
    const counts = Object.fromEntries(['A', 'B', 'C'].map((name) => [name, results.filter((result) => result.client === name).length]));
    expect(counts).toEqual({ A: 10, B: 10, C: 10 });
  });

  it('shares its cursor through the store across registries (one per request)', async () => {
    const store = new MemoryStateStore();
    const answered = [];
    for (let index = 0; index < 3; index++) {
      const { registry } = setup({}, store);
      answered.push((await registry.generate(user('x'), { client: 'RR' })).client);
    }
    expect(answered).toEqual(['A', 'B', 'C']);
  });

  it('does not fail over by itself, but does inside a fallback', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ error: { code: 'server', retryable: false, status: 500 } }]);
    await expect(registry.generate(user('x'), { client: 'RR' })).rejects.toMatchObject({ client: 'A' });
    registry.addLlmClient('Backup', 'scripted', { model: 'backup' });
    registry.addLlmClient('Safe', 'fallback', { strategy: ['RR', 'Backup'] });
    // The cursor is now at B; call until A's turn comes back and the fallback catches it.
    const answered = [];
    for (let index = 0; index < 3; index++) answered.push((await registry.generate(user('x'), { client: 'Safe' })).client);
    expect(answered).toEqual(['B', 'C', 'Backup']);
  });

  it('rejects a bad start with its path', async () => {
    const { registry } = setup({ start: 5 });
    await expect(registry.generate(user('x'), { client: 'RR' })).rejects.toMatchObject({
      code: 'config',
      issues: [{ path: "addLlmClient('RR').options.start", message: 'must be below the number of members (3)' }],
    });
  });
});
