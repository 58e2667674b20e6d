import { inspect } from 'node:util';
import { createServer } from 'node:net';
import { RegError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { call, collect, createModel, hello, registry, useEmulator } from './helpers.js';

const emulator = useEmulator();

async function failure(promise: Promise<unknown>): Promise<RegError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(RegError.isInstance(error), `expected a RegError, got ${String(error)}`).toBe(true);
  return error as RegError;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('anthropic error mapping (HTTP)', () => {
  it('529 overloaded_error -> overloaded, retryable, naming the client and what to do', async () => {
    emulator.current.script('claude-529', { sequence: [{ kind: 'status', status: 529 }] });
    const error = await failure(createModel(emulator.current, 'claude-529').doGenerate(hello, call({ client: 'Claude' })));
    expect(error).toMatchObject({ code: 'overloaded', status: 529, retryable: true, client: 'Claude', provider: 'anthropic', model: 'claude-529' });
    expect(error.message).toContain("client 'Claude'");
    expect(error.message).toContain('overloaded_error');
    expect(error.message).toContain('fall back');
  });

  it('429 rate_limit_error -> rate_limited with retryAfterMs from retry-after', async () => {
    emulator.current.script('claude-429', { sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 3 }] });
    const error = await failure(createModel(emulator.current, 'claude-429').doGenerate(hello, call()));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryable: true, retryAfterMs: 3000 });
  });

  it('x-should-retry: false wins over a retryable status', async () => {
    emulator.current.script('claude-no-retry', { sequence: [{ kind: 'status', status: 529, shouldRetry: false }] });
    const error = await failure(createModel(emulator.current, 'claude-no-retry').doGenerate(hello, call()));
    expect(error).toMatchObject({ code: 'overloaded', retryable: false });
  });

  it('402 billing_error -> quota, and a too-long prompt -> context_length, neither retryable', async () => {
    emulator.current.script('claude-4xx', {
      sequence: [
        { kind: 'status', status: 402 },
        { kind: 'status', status: 400, message: 'prompt is too long: 210000 tokens > 200000 maximum' },
      ],
    });
    const model = createModel(emulator.current, 'claude-4xx');
    expect(await failure(model.doGenerate(hello, call()))).toMatchObject({ code: 'quota', status: 402, retryable: false });
    expect(await failure(model.doGenerate(hello, call()))).toMatchObject({ code: 'context_length', status: 400, retryable: false });
  });

  it('a wrong key -> auth, saying where the key comes from and never showing it', async () => {
    const wrongKey = 'sk-ant-api03-wrong-key-that-must-not-leak';
    const model = createModel(emulator.current, 'claude-auth', { api_key: wrongKey });
    const error = await failure(model.doGenerate(hello, call()));
    expect(error).toMatchObject({ code: 'auth', status: 401, retryable: false });
    expect(error.message).toContain('options.api_key (or ANTHROPIC_API_KEY)');
    expect(inspect(error, { depth: 10 })).not.toContain(wrongKey);
    expect(JSON.stringify(error)).not.toContain(wrongKey);
  });

  it('a refused connection -> connection, retryable', async () => {
    const port = await closedPort();
    const model = createModel(emulator.current, 'claude-refused', { base_url: `http://127.0.0.1:${port}` });
    const error = await failure(model.doGenerate(hello, call()));
    expect(error).toMatchObject({ code: 'connection', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
    expect(inspect(error, { depth: 10 })).not.toContain(TEST_CREDENTIALS.anthropic);
  });

  it('a connect timeout on a client with its own transport is still told apart from a refused connection', async () => {
    const port = await closedPort();
    const model = createModel(emulator.current, 'claude-refused-timeout', { base_url: `http://127.0.0.1:${port}` });
    const error = await failure(model.doGenerate(hello, call({ http: { connectTimeoutMs: 500 } })));
    expect(error).toMatchObject({ code: 'connection', retryable: true });
  });
});

describe('anthropic error mapping (in-band stream errors)', () => {
  const cases = [
    { type: 'overloaded_error', code: 'overloaded', retryable: true },
    { type: 'api_error', code: 'server', retryable: true },
    { type: 'rate_limit_error', code: 'rate_limited', retryable: true },
    { type: 'timeout_error', code: 'timeout', retryable: true },
    { type: 'invalid_request_error', code: 'invalid_request', retryable: false },
    { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum', code: 'context_length', retryable: false },
  ] as const;
  for (const entry of cases) {
    it(`${entry.type}${'message' in entry ? ' (prompt too long)' : ''} -> ${entry.code}`, async () => {
      const model = `claude-inband-${entry.code}`;
      emulator.current.script(model, { sequence: [{ kind: 'stream-error', afterParts: 0, type: entry.type, message: 'message' in entry ? entry.message : undefined }] });
      const error = await failure(collect(createModel(emulator.current, model).doStream(hello, call({ client: 'Streamer' }))));
      expect(error).toMatchObject({ code: entry.code, retryable: entry.retryable, status: undefined, client: 'Streamer', provider: 'anthropic' });
      expect(error.message).toContain(entry.type);
    });
  }
});

describe('anthropic errors through the registry', () => {
  it('a 429 is retried after the retry-after the API asked for, then succeeds', async () => {
    emulator.current.script('claude-retry-after', { sequence: [{ kind: 'status', status: 429, retryAfterMs: 250 }], reply: { text: 'after the wait' } });
    const cr = registry(emulator.current, {});
    cr.addRetryPolicy('Fast', { max_retries: 2, strategy: { type: 'constant_delay', delay_ms: 1 } });
    cr.addLlmClient('Claude', 'anthropic', { model: 'claude-retry-after', base_url: emulator.current.baseUrls.anthropic, api_key: TEST_CREDENTIALS.anthropic }, 'Fast');
    const result = await cr.generate(hello, { client: 'Claude' });
    expect(result.text).toBe('after the wait');
    expect(result.attempts.map((attempt) => [attempt.code ?? attempt.status, attempt.retryAfterMs])).toEqual([['rate_limited', 250], ['success', undefined]]);
    const [first, second] = emulator.current.requests({ model: 'claude-retry-after' });
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(245);
  });

  it('an in-band overload before any content is retried transparently in a stream', async () => {
    emulator.current.script('claude-stream-retry', { sequence: [{ kind: 'stream-error', afterParts: 0, type: 'overloaded_error' }], reply: { text: 'second time lucky' } });
    const cr = registry(emulator.current, {});
    cr.addRetryPolicy('Fast', { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 1 } });
    cr.addLlmClient('Claude', 'anthropic', { model: 'claude-stream-retry', base_url: emulator.current.baseUrls.anthropic, api_key: TEST_CREDENTIALS.anthropic }, 'Fast');
    let text = '';
    for await (const part of cr.stream(hello, { client: 'Claude' })) if (part.type === 'text-delta') text += part.text;
    expect(text).toBe('second time lucky');
    expect(emulator.current.requests({ model: 'claude-stream-retry' })).toHaveLength(2);
  });
});
