import { inspect } from 'node:util';
import { ApiError } from '@google/genai';
import { MissingCredentialsError, TimeoutError } from '@reg/core';
import { TEST_CREDENTIALS, startEmulator, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { googleAi } from '../src/index.js';
import { mapGoogleError } from '../src/map-google-error.js';
import { buildModel, call, collect, failure, user } from './helpers.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const gemini = (options: Record<string, unknown> = {}) =>
  buildModel(googleAi, { model: 'gemini-errors', base_url: emulator.baseUrls.gemini, api_key: TEST_CREDENTIALS.gemini, ...options });
const context = { client: 'Test', provider: 'google-ai', model: 'm' };

describe('google-ai error mapping', () => {
  it('429 RESOURCE_EXHAUSTED is rate_limited, retryable, waiting RetryInfo.retryDelay', async () => {
    emulator.script('gemini-errors', { sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 12 }] });
    const error = await failure(gemini().doGenerate(user('x'), call()));
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 12_000, status: 429, client: 'Test' });
    expect(error.message).toContain("Client 'Test' (google-ai, model gemini-errors) got HTTP 429 RESOURCE_EXHAUSTED");
  });

  it.each([
    [400, 'invalid_request', false],
    [403, 'auth', false],
    [500, 'server', true],
    [503, 'overloaded', true],
    [504, 'timeout', true],
  ] as const)('%i -> %s (retryable %s)', async (status, code, retryable) => {
    emulator.script('gemini-errors', { sequence: [{ kind: 'status', status }] });
    expect(await failure(gemini().doGenerate(user('x'), call()))).toMatchObject({ code, retryable, status });
  });

  it('a wrong key is auth (Google answers 400 API_KEY_INVALID), without the key in the error', async () => {
    const error = await failure(gemini({ api_key: 'AIzaWrongKeyThatIsLongEnough000000000' }).doGenerate(user('x'), call()));
    expect(error).toMatchObject({ code: 'auth', retryable: false, status: 400 });
    expect(error.message).toContain('options.api_key');
    expect(inspect(error, { depth: 10 })).not.toContain('AIzaWrongKeyThatIsLongEnough');
  });

  it('an in-stream error maps by its google.rpc status', async () => {
    emulator.script('gemini-errors', { sequence: [{ kind: 'stream-error', afterParts: 1, type: 'UNAVAILABLE' }], chunkSize: 3 });
    const error = await failure(collect(gemini().doStream(user('hello there'), call())));
    expect(error).toMatchObject({ code: 'overloaded', retryable: true, status: 503 });
  });

  it('RetryInfo in an in-stream error is honoured', () => {
    const body = { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'slow down', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }] } };
    const error = mapGoogleError(new ApiError({ status: 429, message: `got status: RESOURCE_EXHAUSTED. ${JSON.stringify(body)}` }), context);
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 1500 });
  });

  it('a connection refused is connection, retryable', async () => {
    const closed = buildModel(googleAi, { model: 'm', base_url: 'http://127.0.0.1:1', api_key: TEST_CREDENTIALS.gemini });
    expect(await failure(closed.doGenerate(user('x'), call()))).toMatchObject({ code: 'connection', retryable: true });
  });

  it('a connect timeout is a TimeoutError naming connect_timeout_ms', () => {
    const cause = Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' });
    const error = mapGoogleError(new TypeError('fetch failed', { cause }), context);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'timeout', timeout: 'connect_timeout_ms', retryable: true });
  });

  it('a missing key throws MissingCredentialsError from createModel, naming option and variables', () => {
    let thrown: unknown;
    try {
      buildModel(googleAi, { model: 'm' });
    } catch (caught) {
      thrown = caught;
    }
    expect(MissingCredentialsError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toContain('options.api_key');
    expect((thrown as Error).message).toContain('GOOGLE_API_KEY');
  });

  it('reads GOOGLE_API_KEY, then GEMINI_API_KEY, from the registry env', async () => {
    const options = { model: 'gemini-env', base_url: emulator.baseUrls.gemini };
    await buildModel(googleAi, options, { GOOGLE_API_KEY: TEST_CREDENTIALS.gemini, GEMINI_API_KEY: 'other-key-0000' }).doGenerate(user('x'), call());
    await buildModel(googleAi, options, { GEMINI_API_KEY: TEST_CREDENTIALS.gemini }).doGenerate(user('x'), call());
    const keys = emulator.requests({ model: 'gemini-env' }).map((request) => request.headers['x-goog-api-key']);
    expect(keys).toEqual([TEST_CREDENTIALS.gemini, TEST_CREDENTIALS.gemini]);
  });
});

describe('option validation', () => {
  it.each([
    [{ model: 'm', temperature: 'hot' }, 'clients[0].options.temperature'],
    [{ model: 'm', max_tokens: 1.5 }, 'clients[0].options.max_tokens'],
    [{ model: 'm', base_url: 'not a url' }, 'clients[0].options.base_url'],
    [{ model: 'm', generationConfig: [] }, 'clients[0].options.generationConfig'],
    [{ model: 'm', safety_settings: {} }, 'clients[0].options.safety_settings'],
    [{ model: 'm', stop_sequences: [1] }, 'clients[0].options.stop_sequences'],
    [{ model: 'm', headers: { a: {} } }, 'clients[0].options.headers.a'],
  ])('%o names %s', (raw, path) => {
    expect(() => googleAi.parseOptions(raw, { client: 'Test', path: 'clients[0].options', env: {} })).toThrow(path);
  });
});
