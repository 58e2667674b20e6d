import {
  AccessDeniedException,
  BedrockRuntimeClient,
  BedrockRuntimeServiceException,
  ConverseCommand,
  InternalServerException,
  ModelErrorException,
  ModelNotReadyException,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
  type BedrockRuntimeClientConfig,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, describe, expect, test } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { useEmulator } from '../vitest.js';
import type { StatusFault } from '../emulator/types.js';
import { readSigV4Authorization } from './bedrock-sigv4.js';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const messages = [{ role: 'user' as const, content: [{ text: 'hi' }] }];

const emulator = useEmulator();
const clients: BedrockRuntimeClient[] = [];

function makeClient(config: Partial<BedrockRuntimeClientConfig> = {}): BedrockRuntimeClient {
  const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: emulator.current.url, credentials: TEST_CREDENTIALS.aws, maxAttempts: 1, ...config });
  clients.push(client);
  return client;
}

async function failure(client: BedrockRuntimeClient, abortSignal?: AbortSignal): Promise<BedrockRuntimeServiceException> {
  const error = await client.send(new ConverseCommand({ modelId: MODEL, messages }), { abortSignal }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return error as BedrockRuntimeServiceException;
}

afterAll(() => {
  for (const client of clients) client.destroy();
});

describe('scripted status faults', () => {
  const cases: Array<[Omit<StatusFault, 'kind'>, new (...args: never[]) => Error, string]> = [
    [{ status: 429 }, ThrottlingException, 'ThrottlingException'],
    [{ status: 400, message: 'Input is too long for requested model.' }, ValidationException, 'ValidationException'],
    [{ status: 403 }, AccessDeniedException, 'AccessDeniedException'],
    [{ status: 503 }, ServiceUnavailableException, 'ServiceUnavailableException'],
    [{ status: 429, type: 'ModelNotReadyException' }, ModelNotReadyException, 'ModelNotReadyException'],
    [{ status: 424 }, ModelErrorException, 'ModelErrorException'],
    [{ status: 408 }, ModelTimeoutException, 'ModelTimeoutException'],
    [{ status: 404 }, ResourceNotFoundException, 'ResourceNotFoundException'],
    [{ status: 500 }, InternalServerException, 'InternalServerException'],
    [{ status: 502, type: 'serviceUnavailableException' }, ServiceUnavailableException, 'ServiceUnavailableException'],
  ];

  test.each(cases)('%o surfaces as the SDK class', async (fault, ErrorClass, name) => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'status', ...fault }] });
    const error = await failure(makeClient());
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(BedrockRuntimeServiceException);
    expect(error.name).toBe(name);
    expect(error.$metadata).toMatchObject({ httpStatusCode: fault.status, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(error.$fault).toBe(fault.status >= 500 ? 'server' : 'client');
    if (fault.message) expect(error.message).toBe(fault.message);
    else expect(error.message.length).toBeGreaterThan(0);
    expect(emulator.current.requests({ model: MODEL })).toHaveLength(1);
  });

  test('the raw response carries x-amzn-errortype and the retry hints the SDK retry strategy reads', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 3, headers: { 'x-extra': 'yes' } }] });
    const error = await failure(makeClient());
    const { headers } = (error as unknown as { $response: { headers: Record<string, string> } }).$response;
    expect(headers['x-amzn-errortype']).toBe('ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/');
    expect(headers['retry-after']).toBe('3');
    expect(headers['x-extra']).toBe('yes');
  });

  test('the next call after a fault gets the scripted reply', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'status', status: 429 }], reply: { text: 'recovered' } });
    const client = makeClient();
    await failure(client);
    const result = await client.send(new ConverseCommand({ modelId: MODEL, messages }));
    expect(result.output?.message?.content).toEqual([{ text: 'recovered' }]);
  });
});

describe('SigV4 authentication', () => {
  test('a wrong secret is an InvalidSignatureException 403', async () => {
    const error = await failure(makeClient({ credentials: { ...TEST_CREDENTIALS.aws, secretAccessKey: 'not-the-secret' } }));
    expect(error).toBeInstanceOf(BedrockRuntimeServiceException);
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(emulator.current.requests()[0]?.model).toBe(MODEL);
  });

  test('an unknown access key is an UnrecognizedClientException 403', async () => {
    const error = await failure(makeClient({ credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: TEST_CREDENTIALS.aws.secretAccessKey } }));
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toBe('The security token included in the request is invalid.');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  test('session credentials the emulator never issued are rejected', async () => {
    const error = await failure(makeClient({ credentials: { ...TEST_CREDENTIALS.aws, sessionToken: 'FwoGZXIvYXdzEXAMPLE' } }));
    expect(error.name).toBe('UnrecognizedClientException');
  });

  test('a region that is not an AWS region is rejected; another real region than the endpoint\'s is refused', async () => {
    const error = await failure(makeClient({ region: 'moon-central-1' }));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toBe('Credential should be scoped to a valid region.');
    expect(readSigV4Authorization(emulator.current.requests()[0]!.headers)?.region).toBe('moon-central-1');

    const elsewhere = await failure(makeClient({ region: 'eu-west-3' }));
    expect(elsewhere.name).toBe('InvalidSignatureException');
    expect(elsewhere.message).toBe("Credential should be scoped to a valid region, not 'eu-west-3'.");
    expect(readSigV4Authorization(emulator.current.requests()[1]!.headers)?.region).toBe('eu-west-3');
  });

  test('an auth failure does not use up the scripted outcome', async () => {
    emulator.current.script(MODEL, { sequence: [{ text: 'kept for the signed call' }] });
    await failure(makeClient({ credentials: { ...TEST_CREDENTIALS.aws, secretAccessKey: 'wrong' } }));
    const result = await makeClient().send(new ConverseCommand({ modelId: MODEL, messages }));
    expect(result.output?.message?.content).toEqual([{ text: 'kept for the signed call' }]);
  });
});

describe('transport faults', () => {
  test('reset fails the call', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'reset' }] });
    const error = await failure(makeClient());
    expect(error).not.toBeInstanceOf(BedrockRuntimeServiceException);
    expect(String(error)).toMatch(/NGHTTP2_INTERNAL_ERROR/);
  });

  test('hang ends with the handler request timeout', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'hang' }] });
    const started = performance.now();
    const error = await failure(makeClient({ requestHandler: { requestTimeout: 150 } }));
    expect(error.name).toBe('TimeoutError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('hang ends when the caller aborts', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'hang' }] });
    const error = await failure(makeClient(), AbortSignal.timeout(100));
    expect(error.name).toBe('AbortError');
  });

  test('script latency and slow-first-token delay a non-streamed answer', async () => {
    emulator.current.script(MODEL, { latencyMs: 60, sequence: [{ kind: 'slow-first-token', delayMs: 80 }], reply: { text: 'eventually' } });
    const started = performance.now();
    const result = await makeClient().send(new ConverseCommand({ modelId: MODEL, messages }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(130);
    expect(result.output?.message?.content).toEqual([{ text: 'eventually' }]);
    expect(result.metrics?.latencyMs).toBeGreaterThanOrEqual(130);
  });
});
