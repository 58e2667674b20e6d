import { inspect } from 'node:util';
import { ApiError } from '@google/genai';
import type { RegError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { buildModel, callOptions, collect, failure, user, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { googleAi } from '../src/index.js';
import { GOOGLE_AI_ADVICE, mapGoogleError } from '../src/map-google-error.js';
import { geminiModel } from './google-models.js';

const emulator = useEmulator();
const gemini = (options: Record<string, unknown> = {}) => geminiModel(emulator.current, 'gemini-errors', options);
const context = { client: 'Test', provider: 'google-ai', model: 'm', advice: GOOGLE_AI_ADVICE };
const fail = async (promise: Promise<unknown>) => (await failure(promise)) as RegError;

describe('google-ai error mapping', () => {
  it('429 RESOURCE_EXHAUSTED is rate_limited, retryable, waiting RetryInfo.retryDelay', async () => {
    emulator.current.script('gemini-errors', { sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 12 }] });
    const error = await fail(gemini().doGenerate(user('x'), callOptions()));
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 12_000, status: 429, client: 'Test' });
    expect(error.message).toContain("Client 'Test' (google-ai, model gemini-errors) failed with HTTP 429 RESOURCE_EXHAUSTED");
  });

  it('a wrong key is auth (Google answers 400 API_KEY_INVALID), without the key in the error', async () => {
    const error = await fail(gemini({ api_key: 'AIzaWrongKeyThatIsLongEnough000000000' }).doGenerate(user('x'), callOptions()));
    expect(error).toMatchObject({ code: 'auth', retryable: false, status: 400 });
    expect(error.message).toContain('options.api_key');
    expect(inspect(error, { depth: 10 })).not.toContain('AIzaWrongKeyThatIsLongEnough');
  });

  it('an in-stream error maps by its google.rpc status', async () => {
    emulator.current.script('gemini-errors', { sequence: [{ kind: 'stream-error', afterParts: 1, type: 'UNAVAILABLE' }], chunkSize: 3 });
    const error = await fail(collect(gemini().doStream(user('hello there'), callOptions())));
    expect(error).toMatchObject({ code: 'overloaded', retryable: true, status: 503 });
  });

  it('RetryInfo in an in-stream error is honoured', () => {
    const body = { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'slow down', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }] } };
    const error = mapGoogleError(new ApiError({ status: 429, message: `got status: RESOURCE_EXHAUSTED. ${JSON.stringify(body)}` }), context);
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 1500 });
  });

  it('a 429 that speaks of quota and billing stays a retryable rate limit', () => {
    const body = { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'You exceeded your current quota, please check your plan and billing details.' } };
    const error = mapGoogleError(new ApiError({ status: 429, message: JSON.stringify(body) }), context);
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, status: 429 });
  });

  it("the SDK's words for stream data it cannot parse are a retryable server error", () => {
    const error = mapGoogleError(new Error('exception parsing stream chunk {"candidates": [. SyntaxError: Unexpected end of JSON input'), context);
    expect(error).toMatchObject({ code: 'server', retryable: true });
  });

  it('a connection refused is connection, retryable', async () => {
    const closed = buildModel(googleAi, { model: 'm', base_url: 'http://127.0.0.1:1', api_key: TEST_CREDENTIALS.gemini });
    expect(await failure(closed.doGenerate(user('x'), callOptions()))).toMatchObject({ code: 'connection', retryable: true });
  });
});
