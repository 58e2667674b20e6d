import { inspect } from 'node:util';
import { RegError } from '@reg/core';
import { readSigV4Authorization, TEST_CREDENTIALS } from '@reg/testkit';
import { buildModel, callOptions, collect, failure, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, test } from 'vitest';
import { awsBedrock } from '../src/index.js';
import { mapBedrockError } from '../src/map-bedrock-error.js';
import { emulatorOptions, uniqueModel } from './bedrock-emulator.js';

const emulator = useEmulator();
const hello = user('Hello');

/** The RegError a call fails with. */
async function regFailure(promise: Promise<unknown>): Promise<RegError> {
  const error = await failure(promise);
  expect(RegError.isInstance(error), `expected a RegError, got ${inspect(error)}`).toBe(true);
  return error as RegError;
}

function chat(model: string, extra: Record<string, unknown> = {}) {
  return buildModel(awsBedrock, emulatorOptions(emulator.current, model, extra));
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
    emulator.current.script(model, { sequence: [{ kind: 'status', ...fault }] });
    const error = await regFailure(chat(model).doGenerate(hello, callOptions()));
    expect(error).toMatchObject({ code, retryable, status: fault.status, provider: 'aws-bedrock', client: 'Test' });
    expect(error.message).toContain(`Client 'Test' (aws-bedrock, model ${model}) in us-east-1: ${fault.type} (${fault.status}, request id `);
    expect((error.cause as Error).name).toBe(fault.type);
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
    emulator.current.script(model, { sequence: [{ kind: 'stream-error', afterParts: 1, type }], reply: { text: 'abcdefghijklmnop' } });
    const error = await regFailure(collect(chat(model).doStream(hello, callOptions())));
    expect(error).toMatchObject({ code, retryable });
  });
});

describe('answers that cannot be read', () => {
  // The SDK marks a body it could not parse with the response's status, 200.
  const context = { client: 'Test', provider: 'aws-bedrock', model: 'm', region: 'us-east-1', secrets: [] };
  const unreadable = (error: Error) => Object.assign(error, { $metadata: { httpStatusCode: 200, attempts: 1 } });

  test.each([
    ['half a JSON body', unreadable(new SyntaxError('Unterminated string in JSON at position 5'))],
    ['a bad event-stream frame', unreadable(new Error('The message checksum (1) did not match the expected value of 2'))],
  ])('%s on a 200 is a retryable server error, not an exception with status 200', (_, thrown) => {
    const error = mapBedrockError(thrown, context);
    expect(error).toMatchObject({ code: 'server', retryable: true, status: undefined });
    expect(error.message).toContain('the server sent data that could not be read');
  });

  test.each([
    ["the SDK's HTTP/2 handler", new Error('HTTP/2 stream is abnormally aborted in mid-communication with result code 2.')],
    ["the SDK's event-stream decoder", unreadable(new Error('Truncated event message received.'))],
  ])('a response cut short, in the words of %s, is a retryable connection error', (_, thrown) => {
    const error = mapBedrockError(thrown, context);
    expect(error).toMatchObject({ code: 'connection', retryable: true, status: undefined });
    expect(error.message).toContain('Check endpoint_url and the network.');
  });
});

describe('SigV4', () => {
  test('a wrong secret is auth, and no secret shows in the error', async () => {
    const model = uniqueModel('bad-secret');
    const secret = 'wrongSecretValue0000000000000000000000';
    const error = await regFailure(chat(model, { secret_access_key: secret }).doGenerate(hello, callOptions()));
    expect(error).toMatchObject({ code: 'auth', retryable: false, status: 403 });
    expect(error.message).toMatch(/InvalidSignatureException.*Check the AWS credentials/);
    const printed = inspect(error, { depth: 8 }) + JSON.stringify(error);
    expect(printed).not.toContain(secret);
    expect(printed).not.toContain(TEST_CREDENTIALS.aws.secretAccessKey);
  });

  test('the region scopes the signature: the emulated us-east-1 endpoint refuses another region as auth', async () => {
    const model = uniqueModel('region');
    await chat(model, { region: 'us-east-1' }).doGenerate(hello, callOptions());
    expect(readSigV4Authorization(emulator.current.requests({ model })[0]!.headers)).toMatchObject({ region: 'us-east-1', service: 'bedrock' });

    const elsewhere = uniqueModel('other-region');
    const error = await regFailure(chat(elsewhere, { region: 'eu-west-1' }).doGenerate(hello, callOptions()));
    expect(error).toMatchObject({ code: 'auth', retryable: false, status: 403 });
    expect(error.message).toContain("Credential should be scoped to a valid region, not 'eu-west-1'");
    expect(readSigV4Authorization(emulator.current.requests({ model: elsewhere })[0]!.headers)).toMatchObject({ region: 'eu-west-1' });

    const invalid = uniqueModel('invalid-region');
    const outside = await regFailure(chat(invalid, { region: 'moon-central-1' }).doGenerate(hello, callOptions()));
    expect(outside).toMatchObject({ code: 'auth', retryable: false, status: 403 });
  });
});
