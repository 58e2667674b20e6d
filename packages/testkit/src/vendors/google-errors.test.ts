import { ApiError, GoogleGenAI, type GenerateContentResponse } from '@google/genai';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { failure, useEmulator } from '../vitest.js';
import type { Fault } from '../emulator/types.js';

const emulator = useEmulator();
let ai: GoogleGenAI;

beforeAll(() => {
  // No `retryOptions`: the SDK then makes exactly one attempt.
  ai = new GoogleGenAI({ apiKey: TEST_CREDENTIALS.gemini, httpOptions: { baseUrl: emulator.current.url } });
});

interface GoogleErrorJson {
  error: { code: number; message: string; status: string; details?: Array<Record<string, unknown>> };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

function errorBody(error: ApiError): GoogleErrorJson {
  return JSON.parse(error.message) as GoogleErrorJson;
}

async function drain(stream: AsyncGenerator<GenerateContentResponse>, received: string[]): Promise<void> {
  for await (const chunk of stream) received.push(chunk.text ?? '');
}

describe('scripted status faults', () => {
  it.each([
    [400, 'INVALID_ARGUMENT'],
    [403, 'PERMISSION_DENIED'],
    [404, 'NOT_FOUND'],
    [500, 'INTERNAL'],
    [503, 'UNAVAILABLE'],
    [504, 'DEADLINE_EXCEEDED'],
  ])('%i surfaces as ApiError with status %s, after one attempt', async (status, name) => {
    emulator.current.script('gemini-fault', { sequence: [{ kind: 'status', status }] });
    const error = await apiError(ai.models.generateContent({ model: 'gemini-fault', contents: 'x' }));
    expect(error.status).toBe(status);
    expect(errorBody(error).error).toMatchObject({ code: status, status: name });
    expect(emulator.current.requests({ model: 'gemini-fault' })).toHaveLength(1);
  });

  it('429 carries the retry delay as RetryInfo in the body', async () => {
    emulator.current.script('gemini-limited', { sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 7 }] });
    const error = await apiError(ai.models.generateContent({ model: 'gemini-limited', contents: 'x' }));
    expect(error.status).toBe(429);
    const body = errorBody(error);
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body.error.message).toContain('You exceeded your current quota');
    expect(body.error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' });
  });

  it('a status fault on a stream rejects before any chunk', async () => {
    emulator.current.script('gemini-fault', { sequence: [{ kind: 'status', status: 503, message: 'Try later.' }] });
    const error = await apiError(ai.models.generateContentStream({ model: 'gemini-fault', contents: 'x' }));
    expect(error.status).toBe(503);
    expect(errorBody(error).error).toEqual({ code: 503, message: 'Try later.', status: 'UNAVAILABLE' });
  });

  it('the SDK retries only when given retryOptions', async () => {
    emulator.current.script('gemini-retry', { sequence: [{ kind: 'status', status: 503 }, 'ok'] });
    const retrying = new GoogleGenAI({
      apiKey: TEST_CREDENTIALS.gemini,
      httpOptions: { baseUrl: emulator.current.url, retryOptions: { attempts: 2, initialDelay: 0.01, maxDelay: 0.01 } },
    });
    const response = await retrying.models.generateContent({ model: 'gemini-retry', contents: 'again' });
    expect(response.text).toBe('echo: again');
    expect(emulator.current.requests({ model: 'gemini-retry' })).toHaveLength(2);
  });
});

describe('Gemini API keys', () => {
  it('a wrong key is 400 API_KEY_INVALID', async () => {
    const wrong = new GoogleGenAI({ apiKey: 'not-the-key', httpOptions: { baseUrl: emulator.current.url } });
    const error = await apiError(wrong.models.generateContent({ model: 'gemini-auth', contents: 'x' }));
    expect(error.status).toBe(400);
    const body = errorBody(error);
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.' });
    expect(body.error.details?.[0]).toMatchObject({ reason: 'API_KEY_INVALID', metadata: { service: 'generativelanguage.googleapis.com' } });
    expect(emulator.current.requests({ model: 'gemini-auth' })).toHaveLength(1);
  });

  it('a stream with a wrong key is rejected the same way', async () => {
    const wrong = new GoogleGenAI({ apiKey: 'not-the-key', httpOptions: { baseUrl: emulator.current.url } });
    const error = await apiError(wrong.models.generateContentStream({ model: 'gemini-auth', contents: 'x' }));
    expect(error.status).toBe(400);
  });
});

describe('transport and stream faults', () => {
  const text = 'One two three four five six.';

  function script(fault: Fault): void {
    emulator.current.script('gemini-faulty', { reply: { text }, chunkSize: 5, sequence: [fault] });
  }

  it('reset: the fetch fails', async () => {
    script({ kind: 'reset' });
    const error = await ai.models.generateContent({ model: 'gemini-faulty', contents: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
  });

  it('hang: the SDK timeout aborts the call', async () => {
    script({ kind: 'hang' });
    const started = performance.now();
    const error = await ai.models
      .generateContent({ model: 'gemini-faulty', contents: 'x', config: { httpOptions: { timeout: 100 } } })
      .catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AbortError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(emulator.current.requests({ model: 'gemini-faulty' })[0]?.headers['x-server-timeout']).toBe('1');
  });

  it('slow first token: headers at once, the first chunk late', async () => {
    script({ kind: 'slow-first-token', delayMs: 150 });
    const started = performance.now();
    const stream = await ai.models.generateContentStream({ model: 'gemini-faulty', contents: 'x' });
    const first = await stream.next();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const rest: string[] = [];
    await drain(stream, rest);
    expect([first.value?.text, ...rest].join('')).toBe(text);
  });

  it('drip: parts arrive spaced out, all of them', async () => {
    script({ kind: 'drip', intervalMs: 30 });
    const started = performance.now();
    const received: string[] = [];
    await drain(await ai.models.generateContentStream({ model: 'gemini-faulty', contents: 'x' }), received);
    expect(received.join('')).toBe(text);
    expect(performance.now() - started).toBeGreaterThanOrEqual(30 * (received.length - 1) - 10);
  });

  it('cut: the stream breaks off after the scripted parts', async () => {
    script({ kind: 'cut', afterParts: 2 });
    const received: string[] = [];
    const error = await drain(await ai.models.generateContentStream({ model: 'gemini-faulty', contents: 'x' }), received).catch(
      (caught: unknown) => caught,
    );
    expect(received).toEqual(['One t', 'wo th']);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('terminated');
  });

  it('malformed: a chunk the SDK cannot parse', async () => {
    script({ kind: 'malformed', afterParts: 1 });
    const received: string[] = [];
    const error = await drain(await ai.models.generateContentStream({ model: 'gemini-faulty', contents: 'x' }), received).catch(
      (caught: unknown) => caught,
    );
    expect(received).toEqual(['One t']);
    expect(error).toBeInstanceOf(SyntaxError);
  });

  it('in-band error: an error object as a data event becomes ApiError with its code', async () => {
    script({ kind: 'stream-error', afterParts: 1, type: 'RESOURCE_EXHAUSTED', message: 'Quota gone mid-stream.' });
    const received: string[] = [];
    const error = await drain(await ai.models.generateContentStream({ model: 'gemini-faulty', contents: 'x' }), received).catch(
      (caught: unknown) => caught,
    );
    expect(received).toEqual(['One t']);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect((error as ApiError).message).toContain('Quota gone mid-stream.');
  });

  it('stream faults on a unary call: in-band error becomes the status, malformed an unparsable body, cut a broken one', async () => {
    script({ kind: 'stream-error', afterParts: 0 });
    const error = await apiError(ai.models.generateContent({ model: 'gemini-faulty', contents: 'x' }));
    expect(error.status).toBe(500);
    expect(errorBody(error).error.status).toBe('INTERNAL');

    script({ kind: 'malformed', afterParts: 0 });
    const malformed = await ai.models.generateContent({ model: 'gemini-faulty', contents: 'x' }).catch((caught: unknown) => caught);
    expect(malformed).toBeInstanceOf(SyntaxError);

    script({ kind: 'cut', afterParts: 0 });
    const cut = await ai.models.generateContent({ model: 'gemini-faulty', contents: 'x' }).catch((caught: unknown) => caught);
    expect(cut).toBeInstanceOf(TypeError);
    expect((cut as Error).message).toBe('terminated');
  });
});
