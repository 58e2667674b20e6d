import { APICallError, LoadAPIKeyError, NoSuchModelError, TypeValidationError } from '@ai-sdk/provider';
import { ClientRegistry, RegError, TimeoutError } from '@reg/core';
import { buildModel, callOptions, collect, failure, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { aiSdk, mapAiSdkError } from '../src/index.js';
import { clientOptions } from './emulated-client.js';

const emulator = useEmulator();
const hello = user('Hello');
const context = { client: 'Test', provider: 'ai-sdk', model: 'm', vendor: 'mistral.chat' };
const createModel = (model: string) => buildModel(aiSdk, clientOptions(emulator.current, model));
const apiCall = { url: 'https://api.example.com/v1/chat/completions', requestBodyValues: {} };

async function rejection(promise: Promise<unknown>): Promise<RegError> {
  const error = await failure(promise);
  expect(RegError.isInstance(error), String(error)).toBe(true);
  return error as RegError;
}

function errorWithCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('AI SDK errors -> RegError', () => {
  it('classifies APICallError by status, headers and the vendor body through the emulator', async () => {
    emulator.current.script('quota', {
      sequence: [
        { kind: 'status', status: 429, type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota.' },
        { kind: 'status', status: 429, retryAfterMs: 1500 },
        { kind: 'status', status: 500, shouldRetry: false },
      ],
    });
    const model = createModel('quota');
    const errors: RegError[] = [];
    for (let attempt = 0; attempt < 3; attempt++) errors.push(await rejection(model.doGenerate(hello, callOptions())));
    expect(errors.map(({ code, retryable, status, retryAfterMs }) => ({ code, retryable, status, retryAfterMs }))).toEqual([
      { code: 'quota', retryable: false, status: 429, retryAfterMs: undefined },
      { code: 'rate_limited', retryable: true, status: 429, retryAfterMs: 1500 },
      { code: 'server', retryable: false, status: 500, retryAfterMs: undefined },
    ]);
    expect(errors[0]?.message).toContain("Client 'Test' (ai-sdk, model quota) failed with HTTP 429: emulated.chat: You exceeded your current quota.");
    expect(errors[0]?.cause).toBeInstanceOf(APICallError);
  });

  it('maps an in-band stream error through the emulator', async () => {
    emulator.current.script('in-band', { sequence: [{ kind: 'stream-error', afterParts: 0, type: 'rate_limit_exceeded', message: 'Slow down.' }] });
    const error = await collect(createModel('in-band').doStream(hello, callOptions())).catch((thrown: unknown) => thrown as RegError);
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true });
  });

  it('maps a missing API key to missing_credentials, naming the setting and the variable', () => {
    const error = mapAiSdkError(
      new LoadAPIKeyError({ message: "Mistral API key is missing. Pass it using the 'apiKey' parameter or the MISTRAL_API_KEY environment variable." }),
      context,
    );
    expect(error).toMatchObject({ code: 'missing_credentials', retryable: false, client: 'Test', provider: 'ai-sdk' });
    expect(error.message).toContain('set options.settings.apiKey or set the MISTRAL_API_KEY environment variable');
  });

  it('maps transport failures by the cause chain', () => {
    const refused = new APICallError({ ...apiCall, message: 'Cannot connect to API: connect ECONNREFUSED', cause: errorWithCode('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED'), isRetryable: true });
    expect(mapAiSdkError(refused, context)).toMatchObject({ code: 'connection', retryable: true });
    const terminated = new TypeError('terminated', { cause: errorWithCode('other side closed', 'UND_ERR_SOCKET') });
    expect(mapAiSdkError(terminated, context)).toMatchObject({ code: 'connection', retryable: true });
    const connectTimeout = new APICallError({ ...apiCall, message: 'Cannot connect to API', cause: errorWithCode('Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT'), isRetryable: true });
    const timeout = mapAiSdkError(connectTimeout, context);
    expect(TimeoutError.isInstance(timeout) && timeout.timeout).toBe('connect_timeout_ms');
    expect(timeout.retryable).toBe(true);
  });

  it("maps Bun's connection codes, which the AI SDK retries as well", () => {
    const refused = new APICallError({ ...apiCall, message: 'Cannot connect to API: Unable to connect', cause: errorWithCode('Unable to connect. Is the computer able to access the url?', 'ConnectionRefused'), isRetryable: true });
    expect(mapAiSdkError(refused, context)).toMatchObject({ code: 'connection', retryable: true });
    expect(mapAiSdkError(errorWithCode('socket closed', 'FailedToOpenSocket'), context)).toMatchObject({ code: 'connection', retryable: true });
  });

  it('respects isRetryable when there is no status', () => {
    expect(mapAiSdkError(new APICallError({ ...apiCall, message: 'gateway said no', isRetryable: false }), context)).toMatchObject({ code: 'server', retryable: false });
    expect(mapAiSdkError(new APICallError({ ...apiCall, message: 'try again', isRetryable: true }), context)).toMatchObject({ code: 'connection', retryable: true });
  });

  it('maps in-band error payloads by their type, and unknown ones to a retryable server error', () => {
    expect(mapAiSdkError({ error: { type: 'overloaded_error', message: 'Overloaded' } }, context)).toMatchObject({ code: 'overloaded', retryable: true });
    expect(mapAiSdkError({ type: 'insufficient_quota', message: 'No credit left.' }, context)).toMatchObject({ code: 'quota', retryable: false });
    expect(mapAiSdkError({ error: { code: 400, message: 'Bad field.' } }, context)).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(mapAiSdkError({ message: 'Something broke.' }, context)).toMatchObject({ code: 'server', retryable: true });
  });

  it("maps the SDK's own error classes", () => {
    expect(mapAiSdkError(new NoSuchModelError({ modelId: 'm', modelType: 'languageModel' }), context)).toMatchObject({ code: 'not_found', retryable: false });
    expect(mapAiSdkError(new TypeValidationError({ value: {}, cause: new Error('bad chunk') }), context)).toMatchObject({ code: 'server', retryable: true });
    expect(mapAiSdkError(new DOMException('The operation was aborted.', 'AbortError'), context)).toMatchObject({ code: 'aborted' });
    // Next.js's name for an abort, which the AI SDK counts as one.
    expect(mapAiSdkError(Object.assign(new Error('Response aborted'), { name: 'ResponseAborted' }), context)).toMatchObject({ code: 'aborted' });
  });

  it('surfaces a missing key from a real package call as missing_credentials through the registry', async () => {
    const cr = new ClientRegistry({ providers: [aiSdk], env: {} });
    cr.addLlmClient('NoKey', 'ai-sdk', {
      model: 'm',
      provider: () => {
        throw new LoadAPIKeyError({ message: 'Acme API key is missing. Pass it using the apiKey parameter or the ACME_API_KEY environment variable.' });
      },
    });
    const error = await rejection(cr.generate(hello, { client: 'NoKey' }));
    expect(error).toMatchObject({ code: 'missing_credentials', client: 'NoKey' });
    expect(error.message).toContain('ACME_API_KEY');
  });
});
