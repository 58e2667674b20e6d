import { callOptions, collect, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { anthropicModel } from './anthropic-test-client.js';

const emulator = useEmulator();
const hello = user('Hello');
const nextMacrotask = () => new Promise((resolve) => setImmediate(resolve));

describe('anthropic transport', () => {
  it('reuses one kept-alive connection for calls of one model', async () => {
    const model = anthropicModel(emulator.current, 'claude-reuse');
    for (let index = 0; index < 3; index++) {
      await model.doGenerate(hello, callOptions());
      await nextMacrotask();
    }
    await collect(model.doStream(hello, callOptions()));
    await nextMacrotask();
    await model.doGenerate(hello, callOptions());
    const connections = new Set(emulator.current.requests({ model: 'claude-reuse' }).map((request) => request.connectionId));
    expect(connections.size).toBe(1);
  });

  it('back to back, calls share at most two kept-alive connections', async () => {
    const model = anthropicModel(emulator.current, 'claude-back-to-back');
    for (let index = 0; index < 6; index++) await model.doGenerate(hello, callOptions());
    const connections = new Set(emulator.current.requests({ model: 'claude-back-to-back' }).map((request) => request.connectionId));
    expect(connections.size).toBeLessThanOrEqual(2);
  });

  it('a client with a connect timeout gets its own transport, built once and kept alive', async () => {
    const model = anthropicModel(emulator.current, 'claude-connect-timeout', {}, { connectTimeoutMs: 2_000 });
    for (let index = 0; index < 3; index++) {
      await model.doGenerate(hello, callOptions());
      await nextMacrotask();
    }
    await collect(model.doStream(hello, callOptions()));
    const requests = emulator.current.requests({ model: 'claude-connect-timeout' });
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((request) => request.connectionId)).size).toBe(1);
  });
});
