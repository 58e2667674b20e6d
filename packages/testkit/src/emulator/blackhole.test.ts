import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlackhole, startEmulator, TEST_CREDENTIALS, type Blackhole, type RunningEmulator } from '../index.js';

describe('startBlackhole', () => {
  let blackhole: Blackhole;
  beforeAll(async () => {
    blackhole = await startBlackhole();
  });
  afterAll(() => blackhole.close());

  it('accepts no connection: a client stays connecting until it gives up', async () => {
    const socket = connect(blackhole.port, '127.0.0.1');
    socket.on('error', () => undefined);
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      setTimeout(() => resolve(socket.connecting ? 'still connecting' : 'gave up'), 400);
    });
    socket.destroy();
    expect(outcome).toBe('still connecting');
  });

  it('makes fetch fail only through its own timeout', async () => {
    const started = performance.now();
    const error = await fetch(`${blackhole.url}/v1/models`, { signal: AbortSignal.timeout(300) }).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('TimeoutError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('clientClosedAt', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  const call = (model: string, signal?: AbortSignal) =>
    fetch(`${emulator.baseUrls.openai}/chat/completions`, {
      method: 'POST',
      signal,
      headers: { authorization: `Bearer ${TEST_CREDENTIALS.openai}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('is set when the client gives up on a request, and only then', async () => {
    emulator.script('closed-hang', { sequence: [{ kind: 'hang' }] });
    emulator.script('closed-reset', { sequence: [{ kind: 'reset' }] });
    const controller = new AbortController();
    const hung = call('closed-hang', controller.signal).catch(() => undefined);
    while (emulator.requests({ model: 'closed-hang' }).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await hung;
    await (await call('closed-ok')).json();
    await call('closed-reset').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emulator.requests({ model: 'closed-hang' })[0]?.clientClosedAt).toBeTypeOf('number');
    expect(emulator.requests({ model: 'closed-ok' })[0]?.clientClosedAt).toBeUndefined();
    expect(emulator.requests({ model: 'closed-reset' })[0]?.clientClosedAt).toBeUndefined();
  });
});
