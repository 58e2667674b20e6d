import { describe, expect, it } from 'vitest';
import { ClientRegistry, Collector, MemoryStateStore } from '@reg/core';
import { createScriptedProvider, noJitter, user } from './scripted-provider.js';

describe('events and Collector', () => {
  it('emits attempt, retry, fallback, success and failure in order', async () => {
    const scripted = createScriptedProvider();
    const registry = new ClientRegistry({ providers: [scripted.provider], random: noJitter, store: new MemoryStateStore() });
    registry.addRetryPolicy('Once', { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 1 } });
    registry.addLlmClient('A', 'scripted', { model: 'a' }, 'Once');
    registry.addLlmClient('B', 'scripted', { model: 'b' });
    registry.addLlmClient('F', 'fallback', { strategy: ['A', 'B'] });
    scripted.script('a', [{ error: { code: 'server', retryable: true } }]);
    scripted.script('z', [{ error: { code: 'auth', retryable: false } }]);
    const log: string[] = [];
    registry.on('attempt', ({ attempt }) => log.push(`attempt ${attempt.client} ${attempt.status}`));
    registry.on('retry', ({ client, retry }) => log.push(`retry ${client} #${retry}`));
    registry.on('fallback', ({ from, to }) => log.push(`fallback ${from}->${to}`));
    registry.on('success', ({ client, result }) => log.push(`success ${client} via ${result.client}`));
    const stop = registry.on('failure', ({ client, error }) => log.push(`failure ${client} ${error.code}`));
    await registry.generate(user('x'), { client: 'F' });
    await registry.generate(user('x'), { client: 'scripted/z' }).catch(() => undefined);
    stop();
    await registry.generate(user('x'), { client: 'scripted/z' }).catch(() => undefined);
    expect(log).toEqual([
      'attempt A failure', 'retry A #1', 'attempt A failure', 'fallback A->B', 'attempt B success', 'success F via B',
      'attempt scripted/z failure', 'failure scripted/z auth',
      'attempt scripted/z failure',
    ]);
  });

  it('Collector sums calls, attempts and usage per client', async () => {
    const scripted = createScriptedProvider();
    const registry = new ClientRegistry({ providers: [scripted.provider], store: new MemoryStateStore() });
    registry.addLlmClient('A', 'scripted', { model: 'a' });
    const collector = new Collector();
    collector.observe(registry);
    await registry.generate(user('x'), { client: 'A' });
    for await (const part of registry.stream(user('x'), { client: 'A' })) void part;
    expect(collector.stats().A).toMatchObject({ calls: 2, successes: 2, attempts: 2, inputTokens: 6, outputTokens: 10, totalTokens: 16 });
  });
});
