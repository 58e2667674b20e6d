import { RegError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildModel, callOptions, collect, failure, useEmulator, user } from '@reg/testkit/vitest';
import { openaiResponses } from '../src/index.js';

const emulator = useEmulator();
const hello = user('Say hello');

function model(name: string, extra: Record<string, unknown> = {}) {
  return buildModel(openaiResponses, { model: name, base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai, ...extra });
}

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

describe('openai-responses errors', () => {
  it('maps a rejected key to auth, naming the client and never the key', async () => {
    const badKey = 'sk-wrong-key-1234567890abcdef';
    const error = (await failure(model('err-auth', { api_key: badKey }).doGenerate(hello, callOptions({ client: 'Keyed' })))) as RegError;
    expect(error).toMatchObject({ code: 'auth', status: 401, retryable: false, client: 'Keyed', provider: 'openai-responses', model: 'err-auth' });
    expect(error.message).toContain("'Keyed'");
    expect(inspect(error, { depth: 8 })).not.toContain(badKey);
  });

  it.each([
    ['rate_limit_exceeded', 'rate_limited', true],
    ['insufficient_quota', 'quota', false],
    ['server_error', 'server', true],
  ] as const)('maps an in-band %s stream error to %s', async (type, code, retryable) => {
    const name = `err-inband-${type}`;
    emulator.current.script(name, { sequence: [{ kind: 'stream-error', afterParts: 1, type, message: `Failed: ${type}.` }], reply: { text: 'abcdefgh' }, chunkSize: 4 });
    const error = (await failure(collect(model(name).doStream(hello, callOptions())))) as RegError;
    expect(RegError.isInstance(error)).toBe(true);
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code, retryable });
    expect(error.message).toContain(`Failed: ${type}.`);
  });

  it('maps a refused connection to a retryable connection error', async () => {
    const port = await closedPort();
    const subject = buildModel(openaiResponses, { model: 'err-refused', base_url: `http://127.0.0.1:${port}/v1`, api_key: TEST_CREDENTIALS.openai });
    const error = (await failure(subject.doGenerate(hello, callOptions()))) as RegError;
    expect(error).toMatchObject({ code: 'connection', retryable: true, provider: 'openai-responses' });
  });

  it('maps a 400 context-length answer to context_length, not retryable', async () => {
    emulator.current.script('err-context', {
      sequence: [{ kind: 'status', status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens." }],
    });
    const error = (await failure(model('err-context').doGenerate(hello, callOptions()))) as RegError;
    expect(error).toMatchObject({ code: 'context_length', status: 400, retryable: false });
  });

  it('maps a 200 answer whose response failed (rate_limit_exceeded) like the same error in a stream', async () => {
    // The emulator never fails a JSON answer in band, so a one-off server sends what the API documents.
    const server = createHttpServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: 'resp_failed',
            object: 'response',
            status: 'failed',
            error: { code: 'rate_limit_exceeded', message: 'Too many tokens per minute.' },
            incomplete_details: null,
            output: [],
            usage: null,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const subject = buildModel(openaiResponses, { model: 'err-failed', base_url: `http://127.0.0.1:${port}/v1`, api_key: TEST_CREDENTIALS.openai });
      const error = (await failure(subject.doGenerate(hello, callOptions()))) as RegError;
      expect(error).toMatchObject({ code: 'rate_limited', retryable: true, status: undefined, provider: 'openai-responses' });
      expect(error.message).toContain('Too many tokens per minute.');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
