import { describe, expect, it } from 'vitest';
import { ClientRegistry, MemoryStateStore, StreamInterruptedError, defineProvider, type StreamPart } from '@reg/core';
import { createScriptedProvider, noJitter, user } from './scripted-provider.js';

async function collect(stream: AsyncIterable<StreamPart>) {
  const parts: StreamPart[] = [];
  let error: unknown;
  try {
    for await (const part of stream) parts.push(part);
  } catch (thrown) {
    error = thrown;
  }
  const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join('');
  return { parts, text, error };
}

function setup() {
  const scripted = createScriptedProvider();
  const registry = new ClientRegistry({ providers: [scripted.provider], random: noJitter, store: new MemoryStateStore() });
  registry.addRetryPolicy('Once', { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 1 } });
  registry.addLlmClient('A', 'scripted', { model: 'a' }, 'Once');
  registry.addLlmClient('B', 'scripted', { model: 'b' });
  registry.addLlmClient('F', 'fallback', { strategy: ['A', 'B'] });
  return { scripted, registry };
}

describe('stream', () => {
  it('yields start, text deltas and a finish carrying usage and the call record', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ text: 'Hello world', parts: 3 }]);
    const { parts, text, error } = await collect(registry.stream(user('x'), { client: 'A' }));
    expect(error).toBeUndefined();
    expect(text).toBe('Hello world');
    expect(parts[0]).toEqual({ type: 'start', client: 'A', provider: 'scripted', model: 'a', attempts: [] });
    const finish = parts.at(-1)!;
    expect(finish).toMatchObject({ type: 'finish', finishReason: 'stop', client: 'A', usage: { totalTokens: 8 } });
    expect(finish.type === 'finish' && finish.attempts.map((attempt) => attempt.status)).toEqual(['success']);
  });

  it('retries and fails over unseen before the first content part', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ error: { code: 'overloaded', retryable: true } }]);
    scripted.script('b', [{ text: 'from b', parts: 2 }]);
    const { parts, text, error } = await collect(registry.stream(user('x'), { client: 'F' }));
    expect(error).toBeUndefined();
    expect(text).toBe('from b');
    const starts = parts.filter((part) => part.type === 'start');
    expect(starts).toEqual([{ type: 'start', client: 'B', provider: 'scripted', model: 'b', attempts: expect.any(Array) }]);
    // `start` carries the attempts before the answering one, so a host can report them at once.
    expect(starts[0]!.type === 'start' && starts[0]!.attempts.map((attempt) => `${attempt.client}:${attempt.status}`)).toEqual(['A:failure', 'A:failure']);
    const finish = parts.at(-1)!;
    expect(finish.type === 'finish' && finish.attempts.map((attempt) => `${attempt.client}:${attempt.status}`)).toEqual([
      'A:failure', 'A:failure', 'B:success',
    ]);
  });

  it('retries a stream that failed before any content (in-band error first)', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ partsThenError: [], error: { code: 'overloaded', retryable: true } }, { text: 'second try' }]);
    const { text, error } = await collect(registry.stream(user('x'), { client: 'A' }));
    expect(error).toBeUndefined();
    expect(text).toBe('second try');
    expect(scripted.callsOf('a')).toHaveLength(2);
  });

  it('ends with StreamInterruptedError after content: no retry, no fallback, no repeated text', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ partsThenError: ['Hel', 'lo'], error: { code: 'server', retryable: true } }]);
    scripted.script('b', [{ text: 'should not appear' }]);
    const { text, error } = await collect(registry.stream(user('x'), { client: 'F' }));
    expect(text).toBe('Hello');
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'stream_interrupted', client: 'A', retryable: false });
    expect(scripted.callsOf('a')).toHaveLength(1);
    expect(scripted.callsOf('b')).toHaveLength(0);
  });

  it('treats a stream that ends after content without a finish as interrupted, never a silent truncation', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ partsThenError: ['partial'] }]);
    const { text, error } = await collect(registry.stream(user('x'), { client: 'A' }));
    expect(text).toBe('partial');
    expect(error).toMatchObject({ code: 'stream_interrupted', message: expect.stringContaining('ended without a finish') });
  });

  it('cancels the upstream request when the consumer stops reading', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ text: 'abcdefghij', parts: 5, partDelayMs: 5 }]);
    for await (const part of registry.stream(user('x'), { client: 'A' })) {
      if (part.type === 'text-delta') break;
    }
    expect(scripted.callsOf('a')[0]!.aborted).toBe(true);
  });

  it('lets the provider read its stream to the end after finish, so the connection can be reused', async () => {
    const steps: string[] = [];
    const provider = defineProvider({
      name: 'tailed',
      parseOptions: (raw) => raw,
      createModel: () => ({
        provider: 'tailed',
        model: 'm',
        doGenerate: () => Promise.reject(new Error('not used')),
        async *doStream() {
          yield { type: 'text-delta', text: 'hi' };
          yield { type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } };
          steps.push('tail read');
        },
      }),
    });
    const registry = new ClientRegistry({ providers: [provider], env: {} });
    registry.addLlmClient('T', 'tailed', { model: 'm' });
    for await (const part of registry.stream(user('x'), { client: 'T' })) {
      if (part.type === 'finish') steps.push('finish seen');
    }
    expect(steps).toEqual(['tail read', 'finish seen']);
  });
});
