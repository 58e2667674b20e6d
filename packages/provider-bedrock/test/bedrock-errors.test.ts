import { inspect } from 'node:util';
import { RegError, TimeoutError } from '@reg/core';
import { readSigV4Authorization, startBlackhole, startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, collect, createModel, emulatorOptions, registryWith, uniqueModel } from './helpers.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] };

async function failure(promise: Promise<unknown>): Promise<RegError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(RegError.isInstance(error), `expected a RegError, got ${inspect(error)}`).toBe(true);
  return error as RegError;
}

describe('HTTP exceptions', () => {
  test.each([
    [{ status: 429, type: 'ThrottlingException' }, 'rate_limited', true],
    [{ status: 503, type: 'ServiceUnavailableException' }, 'overloaded', true],
    [{ status: 429, type: 'ModelNotReadyException' }, 'overloaded', true],
    [{ status: 500, type: 'InternalServerException' }, 'server', true],
    [{ status: 408, type: 'ModelTimeoutException' }, 'timeout', true],
    [{ status: 424, type: 'ModelErrorException' }, 'server', false],
    [{ status: 400, type: 'ValidationException' }, 'invalid_request', false],
    [{ status: 400, type: 'ValidationException', message: 'Input is too long for requested model.' }, 'context_length', false],
    [{ status: 403, type: 'AccessDeniedException' }, 'auth', false],
    [{ status: 403, type: 'ExpiredTokenException' }, 'auth', false],
    [{ status: 404, type: 'ResourceNotFoundException' }, 'not_found', false],
    [{ status: 400, type: 'ServiceQuotaExceededException' }, 'quota', false],
  ] as const)('%o -> %s (retryable %s)', async (fault, code, retryable) => {
    const model = uniqueModel('status');
    emulator.script(model, { sequence: [{ kind: 'status', ...fault }] });
    const error = await failure(createModel(emulatorOptions(emulator, model)).doGenerate(hello, call()));
    expect(error).toMatchObject({ code, retryable, status: fault.status, provider: 'aws-bedrock', client: 'Bedrock' });
    expect(error.message).toContain(`Client 'Bedrock' (aws-bedrock, ${model} in us-east-1)`);
    expect(error.message).toContain(fault.type);
    expect((error.cause as Error).name).toBe(fault.type);
  });

  test('retry-after is honoured', async () => {
    const model = uniqueModel('retry-after');
    emulator.script(model, { sequence: [{ kind: 'status', status: 429, type: 'ThrottlingException', retryAfterSeconds: 3 }] });
    const error = await failure(createModel(emulatorOptions(emulator, model)).doGenerate(hello, call()));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 3000 });
  });
});

describe('in-stream exceptions', () => {
  test.each([
    ['throttlingException', 'rate_limited', true],
    ['modelStreamErrorException', 'server', true],
    ['validationException', 'invalid_request', false],
    ['serviceUnavailableException', 'overloaded', true],
    ['internalServerException', 'server', true],
  ] as const)('%s -> %s', async (type, code, retryable) => {
    const model = uniqueModel('in-stream');
    emulator.script(model, { sequence: [{ kind: 'stream-error', afterParts: 1, type }], reply: { text: 'abcdefghijklmnop' } });
    const stream = createModel(emulatorOptions(emulator, model)).doStream(hello, call());
    const error = await failure(collect(stream));
    expect(error).toMatchObject({ code, retryable });
  });
});

describe('transport', () => {
  test('a reset is a retryable connection error', async () => {
    const model = uniqueModel('reset');
    emulator.script(model, { sequence: [{ kind: 'reset' }] });
    const error = await failure(createModel(emulatorOptions(emulator, model)).doGenerate(hello, call()));
    expect(error).toMatchObject({ code: 'connection', retryable: true });
  });

  test('a corrupt event-stream frame is a retryable server error', async () => {
    const model = uniqueModel('malformed');
    emulator.script(model, { sequence: [{ kind: 'malformed', afterParts: 1 }], reply: { text: '0123456789abcdef' } });
    const error = await failure(collect(createModel(emulatorOptions(emulator, model)).doStream(hello, call())));
    expect(error).toMatchObject({ code: 'server', retryable: true });
  });

  test('connect_timeout_ms applies to the HTTP/2 connection', async () => {
    const blackhole = await startBlackhole();
    try {
      const started = performance.now();
      const chat = createModel(emulatorOptions(emulator, uniqueModel('connect'), { endpoint_url: blackhole.url }));
      const error = await failure(chat.doGenerate(hello, call({ connectTimeoutMs: 200 })));
      expect(TimeoutError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'timeout', timeout: 'connect_timeout_ms', retryable: true });
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await blackhole.close();
    }
  });
});

describe('SigV4', () => {
  test('a wrong secret is auth, and no secret shows in the error', async () => {
    const model = uniqueModel('bad-secret');
    const secret = 'wrongSecretValue0000000000000000000000';
    const error = await failure(createModel(emulatorOptions(emulator, model, { secret_access_key: secret })).doGenerate(hello, call()));
    expect(error).toMatchObject({ code: 'auth', retryable: false, status: 403 });
    expect(error.message).toMatch(/InvalidSignatureException.*Check the AWS credentials/);
    const printed = inspect(error, { depth: 8 }) + JSON.stringify(error);
    expect(printed).not.toContain(secret);
    expect(printed).not.toContain(TEST_CREDENTIALS.aws.secretAccessKey);
  });

  test('the region scopes the signature: the emulated us-east-1 endpoint refuses another region as auth', async () => {
    const model = uniqueModel('region');
    await createModel(emulatorOptions(emulator, model, { region: 'us-east-1' })).doGenerate(hello, call());
    expect(readSigV4Authorization(emulator.requests({ model })[0]!.headers)).toMatchObject({ region: 'us-east-1', service: 'bedrock' });

    const elsewhere = uniqueModel('other-region');
    const error = await failure(createModel(emulatorOptions(emulator, elsewhere, { region: 'eu-west-1' })).doGenerate(hello, call()));
    expect(error).toMatchObject({ code: 'auth', retryable: false, status: 403 });
    expect(error.message).toContain("Credential should be scoped to a valid region, not 'eu-west-1'");
    expect(readSigV4Authorization(emulator.requests({ model: elsewhere })[0]!.headers)).toMatchObject({ region: 'eu-west-1' });

    const invalid = uniqueModel('invalid-region');
    const outside = await failure(createModel(emulatorOptions(emulator, invalid, { region: 'moon-central-1' })).doGenerate(hello, call()));
    expect(outside).toMatchObject({ code: 'auth', retryable: false, status: 403 });
  });

  test('through the registry, a throttled call is retried and then answers', async () => {
    const model = uniqueModel('registry-retry');
    emulator.script(model, { sequence: [{ kind: 'status', status: 429, type: 'ThrottlingException' }], reply: { text: 'after the retry' } });
    const registry = registryWith(emulatorOptions(emulator, model));
    registry.addRetryPolicy('Quick', { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 0 } });
    registry.addLlmClient('Retried', 'aws-bedrock', emulatorOptions(emulator, model), 'Quick');
    const result = await registry.generate(hello, { client: 'Retried' });
    expect(result.text).toBe('after the retry');
    expect(result.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual(['rate_limited', 'success']);
    expect(emulator.requests({ model })).toHaveLength(2);
  });
});
