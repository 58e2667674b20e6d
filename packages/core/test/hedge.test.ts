import { describe, expect, it } from 'vitest';
import { AllClientsFailedError, ClientRegistry, MemoryStateStore } from '@reg/core';
import { createScriptedProvider, noJitter, user } from './scripted-provider.js';

function setup(delayMs = 30) {
  const scripted = createScriptedProvider();
  const registry = new ClientRegistry({ providers: [scripted.provider], random: noJitter, store: new MemoryStateStore() });
  registry.addLlmClient('A', 'scripted', { model: 'a' });
  registry.addLlmClient('B', 'scripted', { model: 'b' });
  registry.addLlmClient('Hedged', 'hedge', { strategy: ['A', 'B'], delay_ms: delayMs });
  return { scripted, registry };
}

async function collect(stream: AsyncIterable<{ type: string; text?: string; client?: string }>) {
  const parts: Array<{ type: string; text?: string; client?: string }> = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('hedge', () => {
  it('answers from the first member alone when it is fast, and never starts the second', async () => {
    const { scripted, registry } = setup(200);
    scripted.script('a', [{ text: 'fast a' }]);
    const result = await registry.generate(user('x'), { client: 'Hedged' });
    expect(result).toMatchObject({ text: 'fast a', client: 'A' });
    expect(scripted.callsOf('b')).toHaveLength(0);
  });

  it('starts the second member after delay_ms; the first to answer wins and the other is cancelled', async () => {
    const { scripted, registry } = setup(30);
    scripted.script('a', [{ hang: true }]);
    scripted.script('b', [{ text: 'from b' }]);
    const started = performance.now();
    const result = await registry.generate(user('x'), { client: 'Hedged' });
    expect(result).toMatchObject({ text: 'from b', client: 'B' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(scripted.callsOf('a')[0]!.aborted).toBe(true);
    expect(result.attempts.map((attempt) => `${attempt.client}:${attempt.status}:${attempt.code ?? ''}`).sort()).toEqual(['A:failure:aborted', 'B:success:']);
  });

  it('starts the next member at once when the running one fails, and fails with every error when all do', async () => {
    const { scripted, registry } = setup(10_000);
    scripted.script('a', [{ error: { code: 'overloaded', retryable: true, status: 529 } }, { error: { code: 'overloaded', retryable: true, status: 529 } }]);
    scripted.script('b', [{ text: 'from b' }, { error: { code: 'server', retryable: true, status: 500 } }]);
    const started = performance.now();
    expect((await registry.generate(user('x'), { client: 'Hedged' })).client).toBe('B');
    expect(performance.now() - started).toBeLessThan(5_000);
    const failed = await registry.generate(user('x'), { client: 'Hedged' }).catch((error: unknown) => error);
    expect(AllClientsFailedError.isInstance(failed)).toBe(true);
    expect((failed as AllClientsFailedError).errors.map((error) => error.code)).toEqual(['overloaded', 'server']);
  });

  it('hedges a stream on its first content: the late member wins, the slow one is closed, nothing is mixed', async () => {
    const { scripted, registry } = setup(30);
    scripted.script('a', [{ text: 'slow a', firstPartDelayMs: 5_000 }]);
    scripted.script('b', [{ text: 'quick b', parts: 3 }]);
    const parts = await collect(registry.stream(user('x'), { client: 'Hedged' }));
    expect(parts[0]).toMatchObject({ type: 'start', client: 'B' });
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.text).join('')).toBe('quick b');
    expect(parts.at(-1)).toMatchObject({ type: 'finish', client: 'B' });
    expect(scripted.callsOf('a')[0]!.aborted).toBe(true);
  });

  it('a caller abort ends every branch', async () => {
    const { scripted, registry } = setup(10);
    scripted.script('a', [{ hang: true }]);
    scripted.script('b', [{ hang: true }]);
    const controller = new AbortController();
    const pending = registry.generate(user('x'), { client: 'Hedged', signal: controller.signal }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    expect(await pending).toMatchObject({ code: 'aborted' });
    expect(scripted.callsOf('a')[0]!.aborted).toBe(true);
    expect(scripted.callsOf('b')[0]!.aborted).toBe(true);
  });

  it('checks its options', async () => {
    const registry = new ClientRegistry({ env: {} });
    registry.addLlmClient('A', 'scripted', { model: 'a' });
    registry.addLlmClient('H', 'hedge', { strategy: ['A'], delay_ms: -5 });
    await expect(registry.generate(user('x'), { client: 'H' })).rejects.toMatchObject({ code: 'config', message: expect.stringContaining('delay_ms') });
  });
});
