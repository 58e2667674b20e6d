import { inspect } from 'node:util';
import { createServer } from 'node:net';
import { APIConnectionError } from '@anthropic-ai/sdk';
import { ClientRegistry, RegError } from '@reg/core';
import { ConnectDeadlineExceeded } from '@reg/provider-utils';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { callOptions, collect, failure, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { anthropic } from '../src/index.js';
import { mapAnthropicError } from '../src/map-anthropic-error.js';
import { anthropicModel } from './anthropic-test-client.js';

const emulator = useEmulator();
const hello = user('Hello');

async function mapped(promise: PromiseLike<unknown>): Promise<RegError> {
  const error = await failure(promise);
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
    const error = await mapped(anthropicModel(emulator.current, 'claude-529').doGenerate(hello, callOptions({ client: 'Claude' })));
    expect(error).toMatchObject({ code: 'overloaded', status: 529, retryable: true, client: 'Claude', provider: 'anthropic', model: 'claude-529' });
    expect(error.message).toContain("Client 'Claude'");
    expect(error.message).toContain('overloaded_error');
    expect(error.message).toContain('fall back');
  });

  it('x-should-retry: false wins over a retryable status', async () => {
    emulator.current.script('claude-no-retry', { sequence: [{ kind: 'status', status: 529, shouldRetry: false }] });
    const error = await mapped(anthropicModel(emulator.current, 'claude-no-retry').doGenerate(hello, callOptions()));
    expect(error).toMatchObject({ code: 'overloaded', retryable: false });
  });

  it('402 billing_error -> quota, and a too-long prompt -> context_length, neither retryable', async () => {
    emulator.current.script('claude-4xx', {
      sequence: [
        { kind: 'status', status: 402 },
        { kind: 'status', status: 400, message: 'prompt is too long: 210000 tokens > 200000 maximum' },
      ],
    });
    const model = anthropicModel(emulator.current, 'claude-4xx');
    expect(await mapped(model.doGenerate(hello, callOptions()))).toMatchObject({ code: 'quota', status: 402, retryable: false });
    expect(await mapped(model.doGenerate(hello, callOptions()))).toMatchObject({ code: 'context_length', status: 400, retryable: false });
  });

  it('a wrong key -> auth, saying where the key comes from and never showing it', async () => {
    const wrongKey = 'sk-ant-api03-wrong-key-that-must-not-leak';
    const model = anthropicModel(emulator.current, 'claude-auth', { api_key: wrongKey });
    const error = await mapped(model.doGenerate(hello, callOptions()));
    expect(error).toMatchObject({ code: 'auth', status: 401, retryable: false });
    expect(error.message).toContain('options.api_key (or ANTHROPIC_API_KEY)');
    expect(inspect(error, { depth: 10 })).not.toContain(wrongKey);
    expect(JSON.stringify(error)).not.toContain(wrongKey);
  });

  it('a refused connection -> connection, retryable', async () => {
    const port = await closedPort();
    const model = anthropicModel(emulator.current, 'claude-refused', { base_url: `http://127.0.0.1:${port}` });
    const error = await mapped(model.doGenerate(hello, callOptions()));
    expect(error).toMatchObject({ code: 'connection', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
    expect(inspect(error, { depth: 10 })).not.toContain(TEST_CREDENTIALS.anthropic);
  });

  it('a connect timeout on a client with its own transport is still told apart from a refused connection', async () => {
    const port = await closedPort();
    const model = anthropicModel(emulator.current, 'claude-refused-timeout', { base_url: `http://127.0.0.1:${port}` }, { connectTimeoutMs: 500 });
    const error = await mapped(model.doGenerate(hello, callOptions()));
    expect(error).toMatchObject({ code: 'connection', retryable: true });
  });

  it("a connect timeout reaches the mapper as the cause of the SDK's connection error -> timeout (connect_timeout_ms)", () => {
    const context = { client: 'Claude', provider: 'anthropic', model: 'claude-x' };
    const error = mapAnthropicError(new APIConnectionError({ cause: new ConnectDeadlineExceeded({ timeoutMs: 250 }) }), context);
    expect(error).toMatchObject({ code: 'timeout', timeout: 'connect_timeout_ms', retryable: true, client: 'Claude' });
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
      const error = await mapped(collect(anthropicModel(emulator.current, model).doStream(hello, callOptions({ client: 'Streamer' }))));
      expect(error).toMatchObject({ code: entry.code, retryable: entry.retryable, status: undefined, client: 'Streamer', provider: 'anthropic' });
      expect(error.message).toContain(entry.type);
    });
  }
});

describe('anthropic errors through the registry', () => {
  it('a 429 is retried after the retry-after the API asked for, then succeeds', async () => {
    emulator.current.script('claude-retry-after', { sequence: [{ kind: 'status', status: 429, retryAfterMs: 250 }], reply: { text: 'after the wait' } });
    const cr = new ClientRegistry({ providers: [anthropic], env: {} });
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
    const cr = new ClientRegistry({ providers: [anthropic], env: {} });
    cr.addRetryPolicy('Fast', { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 1 } });
    cr.addLlmClient('Claude', 'anthropic', { model: 'claude-stream-retry', base_url: emulator.current.baseUrls.anthropic, api_key: TEST_CREDENTIALS.anthropic }, 'Fast');
    let text = '';
    for await (const part of cr.stream(hello, { client: 'Claude' })) if (part.type === 'text-delta') text += part.text;
    expect(text).toBe('second time lucky');
    expect(emulator.current.requests({ model: 'claude-stream-retry' })).toHaveLength(2);
  });
});
