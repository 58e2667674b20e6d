import { describe, expect, it } from 'vitest';
import { AbortedError, ClientRegistry, MemoryStateStore, TimeoutError } from '@reg/core';
import { createScriptedProvider, noJitter, user } from './scripted-provider.js';

function setup(http: Record<string, number> = {}) {
  const scripted = createScriptedProvider();
  const registry = new ClientRegistry({ providers: [scripted.provider], random: noJitter, store: new MemoryStateStore() });
  registry.addRetryPolicy('Once', { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 1 } });
  registry.addLlmClient('A', 'scripted', { model: 'a', http }, 'Once');
  registry.addLlmClient('B', 'scripted', { model: 'b' });
  registry.addLlmClient('F', 'fallback', { strategy: ['A', 'B'] });
  return { scripted, registry };
}

async function drain(stream: AsyncIterable<unknown>): Promise<string> {
  let text = '';
  for await (const part of stream as AsyncIterable<{ type: string; text?: string }>) if (part.type === 'text-delta') text += part.text;
  return text;
}

describe('timeouts', () => {
  it('request_timeout_ms ends a hung attempt, which is retried and then failed over', async () => {
    const { scripted, registry } = setup({ request_timeout_ms: 30 });
    scripted.script('a', [{ hang: true }]);
    scripted.script('b', [{ text: 'rescued' }]);
    const result = await registry.generate(user('x'), { client: 'F' });
    expect(result.text).toBe('rescued');
    expect(result.attempts.slice(0, 2).map((attempt) => attempt.code)).toEqual(['timeout', 'timeout']);
    expect(scripted.callsOf('a').every((call) => call.aborted)).toBe(true);
  });

  it('time_to_first_token_timeout_ms ends a stream whose first part is late, then falls back', async () => {
    const { scripted, registry } = setup({ time_to_first_token_timeout_ms: 30 });
    scripted.script('a', [{ text: 'late', firstPartDelayMs: 500 }]);
    scripted.script('b', [{ text: 'fast' }]);
    expect(await drain(registry.stream(user('x'), { client: 'F' }))).toBe('fast');
    expect(scripted.callsOf('a')).toHaveLength(2);
    expect(scripted.callsOf('a').every((call) => call.aborted)).toBe(true);
  });

  it('idle_timeout_ms ends a stream that stalls between parts with StreamInterruptedError', async () => {
    const { scripted, registry } = setup({ idle_timeout_ms: 30 });
    scripted.script('a', [{ text: 'abcdef', parts: 3, partDelayMs: 500 }]);
    const error = await drain(registry.stream(user('x'), { client: 'F' })).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'stream_interrupted', cause: { code: 'timeout', timeout: 'idle_timeout_ms' } });
    expect(scripted.callsOf('b')).toHaveLength(0);
  });

  it('passes connect_timeout_ms to the provider for its transport', async () => {
    const { scripted, registry } = setup({ connect_timeout_ms: 1234, request_timeout_ms: 5000 });
    await registry.generate(user('x'), { client: 'A' });
    expect(scripted.callsOf('a')[0]!.http).toEqual({ connectTimeoutMs: 1234, requestTimeoutMs: 5000 });
  });

  it('timeoutMs bounds the whole call: no further retry or fallback after it', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ hang: true }]);
    const startedAt = performance.now();
    const error = await registry.generate(user('x'), { client: 'F', timeoutMs: 40 }).catch((thrown: unknown) => thrown);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'timeout', timeout: 'timeoutMs' });
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(scripted.callsOf('a')).toHaveLength(1);
    expect(scripted.callsOf('b')).toHaveLength(0);
  });

  it('does not sleep for a retry that would end past the deadline', async () => {
    const { scripted, registry } = setup();
    registry.addRetryPolicy('Slow', { max_retries: 3, strategy: { type: 'constant_delay', delay_ms: 5000 } });
    registry.addLlmClient('S', 'scripted', { model: 's' }, 'Slow');
    scripted.script('s', [{ error: { code: 'server', retryable: true } }]);
    const startedAt = performance.now();
    const error = await registry.generate(user('x'), { client: 'S', timeoutMs: 1000 }).catch((thrown: unknown) => thrown);
    expect(performance.now() - startedAt).toBeLessThan(500);
    expect(error).toMatchObject({ code: 'server' });
    expect(scripted.callsOf('s')).toHaveLength(1);
  });

  it('total_timeout_ms bounds a strategy, and an outer fallback moves on', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ hang: true }]);
    scripted.script('c', [{ text: 'outer backup' }]);
    registry.addLlmClient('Bounded', 'fallback', { strategy: ['A', 'B'], total_timeout_ms: 30 });
    registry.addLlmClient('C', 'scripted', { model: 'c' });
    registry.addLlmClient('Outer', 'fallback', { strategy: ['Bounded', 'C'] });
    const result = await registry.generate(user('x'), { client: 'Outer' });
    expect(result.text).toBe('outer backup');
    expect(scripted.callsOf('b')).toHaveLength(0);
  });
});

describe('cancellation', () => {
  it('an abort during a request stops it at once', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ hang: true }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await registry.generate(user('x'), { client: 'F', signal: controller.signal }).catch((thrown: unknown) => thrown);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(scripted.callsOf('a')[0]!.aborted).toBe(true);
    expect(scripted.callsOf('b')).toHaveLength(0);
  });

  it('an abort (a DOMException reason) of a client with secrets is still recorded as an attempt', async () => {
    const scripted = createScriptedProvider();
    const registry = new ClientRegistry({ providers: [scripted.provider], store: new MemoryStateStore() });
    // A secret option makes every error of the client go through redaction, cause included.
    registry.addLlmClient('Keyed', 'scripted', { model: 'keyed', api_key: 'sk-secret-value-123' });
    scripted.script('keyed', [{ hang: true }]);
    const attempts: string[] = [];
    registry.on('attempt', (event) => attempts.push(`${event.attempt.client}:${event.attempt.code}`));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await registry.generate(user('x'), { client: 'Keyed', signal: controller.signal }).catch((thrown: unknown) => thrown);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(attempts).toEqual(['Keyed:aborted']);
  });

  it('an abort during a backoff sleep ends the call without another attempt', async () => {
    const { scripted, registry } = setup();
    registry.addRetryPolicy('Slow', { max_retries: 3, strategy: { type: 'constant_delay', delay_ms: 10_000 } });
    registry.addLlmClient('S', 'scripted', { model: 's' }, 'Slow');
    scripted.script('s', [{ error: { code: 'server', retryable: true } }]);
    const controller = new AbortController();
    registry.on('retry', () => setTimeout(() => controller.abort(), 10));
    const startedAt = performance.now();
    const error = await registry.generate(user('x'), { client: 'S', signal: controller.signal }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'aborted' });
    expect(performance.now() - startedAt).toBeLessThan(2000);
    expect(scripted.callsOf('s')).toHaveLength(1);
  });

  it('an abort between fallback members stops the later members', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ error: { code: 'auth', retryable: false } }]);
    const controller = new AbortController();
    registry.on('attempt', ({ attempt }) => {
      if (attempt.client === 'A') controller.abort();
    });
    const error = await registry.generate(user('x'), { client: 'F', signal: controller.signal }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'aborted' });
    expect(scripted.callsOf('b')).toHaveLength(0);
  });

  it('an already-aborted signal sends nothing', async () => {
    const { scripted, registry } = setup();
    await expect(registry.generate(user('x'), { client: 'A', signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'aborted' });
    expect(scripted.calls).toHaveLength(0);
  });

  it('an abort mid-stream ends the stream and the upstream request', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ text: 'abcdefgh', parts: 4, partDelayMs: 30 }]);
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const part of registry.stream(user('x'), { client: 'A', signal: controller.signal })) {
        if (part.type === 'text-delta') {
          seen.push(part.text);
          controller.abort();
        }
      }
    })().catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'aborted' });
    expect(seen).toEqual(['ab']);
    expect(scripted.callsOf('a')[0]!.aborted).toBe(true);
  });
});
