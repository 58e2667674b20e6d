import { describe, expect, it } from 'vitest';
import { AllClientsFailedError, ClientRegistry, MemoryStateStore } from '@reg/core';
import { createScriptedProvider, noJitter, user } from './scripted-provider.js';

function setup() {
  const scripted = createScriptedProvider();
  const registry = new ClientRegistry({ providers: [scripted.provider], random: noJitter, store: new MemoryStateStore() });
  registry.addRetryPolicy('Twice', { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 1 } });
  return { scripted, registry };
}

describe('fallback', () => {
  it('survives a failing primary: each member runs its own retries, then the next answers', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ error: { code: 'overloaded', retryable: true, status: 529 } }]);
    scripted.script('b', [{ text: 'from b' }]);
    registry.addLlmClient('A', 'scripted', { model: 'a' }, 'Twice');
    registry.addLlmClient('B', 'scripted', { model: 'b' });
    registry.addLlmClient('Resilient', 'fallback', { strategy: ['A', 'B'] });
    const fallbacks: string[] = [];
    registry.on('fallback', (event) => fallbacks.push(`${event.from}->${event.to}:${event.error.code}`));
    const result = await registry.generate(user('x'), { client: 'Resilient' });
    expect(result).toMatchObject({ text: 'from b', client: 'B', provider: 'scripted', model: 'b' });
    expect(result.attempts.map((attempt) => `${attempt.client}:${attempt.status}`)).toEqual(['A:failure', 'A:failure', 'B:success']);
    expect(fallbacks).toEqual(['A->B:overloaded']);
  });

  it('moves on after a non-retryable error without retrying it', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ error: { code: 'auth', retryable: false, status: 401 } }]);
    registry.addLlmClient('A', 'scripted', { model: 'a' }, 'Twice');
    registry.addLlmClient('B', 'scripted', { model: 'b' });
    registry.addLlmClient('F', 'fallback', { strategy: ['A', 'B'] });
    const result = await registry.generate(user('x'), { client: 'F' });
    expect(result.client).toBe('B');
    expect(scripted.callsOf('a')).toHaveLength(1);
  });

  it('tries nested strategies depth-first, in order', async () => {
    const { scripted, registry } = setup();
    for (const model of ['a', 'b', 'c']) scripted.script(model, [{ error: { code: 'server', retryable: false, status: 500 } }]);
    scripted.script('d', [{ text: 'from d' }]);
    for (const name of ['A', 'B', 'C', 'D']) registry.addLlmClient(name, 'scripted', { model: name.toLowerCase() });
    registry.addLlmClient('Inner', 'fallback', { strategy: ['B', 'C'] });
    registry.addLlmClient('Outer', 'fallback', { strategy: ['A', 'Inner', 'D'] });
    const result = await registry.generate(user('x'), { client: 'Outer' });
    expect(result.attempts.map((attempt) => attempt.client)).toEqual(['A', 'B', 'C', 'D']);
    expect(result.client).toBe('D');
  });

  it('fails with AllClientsFailedError holding every attempt in order and each member error', async () => {
    const { scripted, registry } = setup();
    scripted.script('a', [{ error: { code: 'rate_limited', retryable: true, status: 429 } }]);
    scripted.script('b', [{ error: { code: 'context_length', retryable: false, status: 400 } }]);
    registry.addLlmClient('A', 'scripted', { model: 'a' }, 'Twice');
    registry.addLlmClient('B', 'scripted', { model: 'b' }, 'Twice');
    registry.addLlmClient('F', 'fallback', { strategy: ['A', 'B'] });
    const error = await registry.generate(user('x'), { client: 'F' }).catch((thrown: unknown) => thrown);
    expect(AllClientsFailedError.isInstance(error)).toBe(true);
    const failed = error as AllClientsFailedError;
    expect(failed.code).toBe('all_failed');
    expect(failed.attempts.map((attempt) => `${attempt.client}:${attempt.code}`)).toEqual([
      'A:rate_limited', 'A:rate_limited', 'B:context_length',
    ]);
    expect(failed.errors.map((member) => `${member.client}:${member.code}`)).toEqual(['A:rate_limited', 'B:context_length']);
    expect(failed.message).toContain("All clients of 'F' failed after 3 attempt(s)");
  });

  it('counts a member that cannot be built (missing key) as a failed member', async () => {
    const { scripted, registry } = setup();
    scripted.script('b', [{ text: 'built' }]);
    registry.addLlmClient('NoKey', 'scripted', { model: 'a', fail_build: true });
    registry.addLlmClient('B', 'scripted', { model: 'b' });
    registry.addLlmClient('F', 'fallback', { strategy: ['NoKey', 'B'] });
    const result = await registry.generate(user('x'), { client: 'F' });
    expect(result.client).toBe('B');
    expect(result.attempts[0]).toMatchObject({ client: 'NoKey', status: 'failure', code: 'missing_credentials' });
  });

  it('counts an unknown member as a failed member for clients added in code', async () => {
    const { scripted, registry } = setup();
    scripted.script('b', [{ text: 'ok' }]);
    registry.addLlmClient('B', 'scripted', { model: 'b' });
    registry.addLlmClient('F', 'fallback', { strategy: ['Ghost', 'B'] });
    expect((await registry.generate(user('x'), { client: 'F' })).client).toBe('B');
  });

  it('accepts provider/model shorthand members', async () => {
    const { scripted, registry } = setup();
    scripted.script('x1', [{ error: { code: 'server', retryable: false } }]);
    scripted.script('x2', [{ text: 'second' }]);
    registry.addLlmClient('F', 'fallback', { strategy: ['scripted/x1', 'scripted/x2'] });
    const result = await registry.generate(user('x'), { client: 'F' });
    expect(result).toMatchObject({ text: 'second', client: 'scripted/x2' });
  });

  it('rejects a strategy cycle when the client is first used', async () => {
    const { registry } = setup();
    registry.addLlmClient('P', 'fallback', { strategy: ['Q'] });
    registry.addLlmClient('Q', 'fallback', { strategy: ['P'] });
    await expect(registry.generate(user('x'), { client: 'P' })).rejects.toMatchObject({ code: 'config', message: expect.stringContaining('P -> Q -> P') });
  });
});
