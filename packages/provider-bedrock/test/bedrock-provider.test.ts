import { ClientRegistry, ConfigError, MemoryStateStore, RegError, type ClientRegistryOptions } from '@reg/core';
import { readSigV4Authorization, TEST_CREDENTIALS } from '@reg/testkit';
import { useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { awsBedrock } from '../src/index.js';
import { emulatorOptions, uniqueModel } from './bedrock-emulator.js';

const emulator = useEmulator();
const hello = user('Hello');

/** A registry whose primary client `Bedrock` has these options. */
function registryWith(raw: Record<string, unknown>, options: Partial<ClientRegistryOptions> = {}): ClientRegistry {
  const registry = new ClientRegistry({ providers: [awsBedrock], env: {}, store: new MemoryStateStore(), ...options });
  registry.addLlmClient('Bedrock', 'aws-bedrock', raw);
  registry.setPrimary('Bedrock');
  return registry;
}

describe('declarations', () => {
  test('ambient credentials, endpoint_url as the endpoint option, no connection guard, its capabilities', () => {
    expect(awsBedrock).toMatchObject({
      name: 'aws-bedrock',
      credentials: 'ambient',
      endpointOptions: ['endpoint_url'],
      capabilities: { streaming: true, tools: true, images: true, jsonSchema: true },
    });
    expect(awsBedrock.guardsConnections).toBeUndefined();
  });

  test("its file types are Converse's document formats, and no audio", () => {
    expect(awsBedrock.capabilities?.fileTypes).toEqual([
      'application/pdf',
      'text/csv',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/html',
      'text/plain',
      'text/markdown',
    ]);
  });

  test('a fallback skips it for an audio file, before any request, and names what it takes', async () => {
    const model = uniqueModel('audio-skip');
    const registry = registryWith(emulatorOptions(emulator.current, model));
    const audio = { role: 'user' as const, content: [{ type: 'text' as const, text: 'Transcribe.' }, { type: 'file' as const, data: new Uint8Array([1, 2, 3]), mediaType: 'audio/wav' }] };
    const error = await registry.generate({ messages: [audio] }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect((error as Error).message).toMatch(/messages\[0\]\.content\[1\] is a file of type audio\/wav; it takes application\/pdf, text\/csv/);
    expect(emulator.current.requests({ model })).toHaveLength(0);
  });

  test('a registry that allows explicit credentials only refuses it, even with keys in the options', async () => {
    const registry = registryWith(emulatorOptions(emulator.current, uniqueModel('explicit-only')), { credentials: 'explicit' });
    const error = await registry.generate(hello).catch((caught: unknown) => caught);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/provider: 'aws-bedrock' uses ambient server credentials/);
  });

  test('a registry that restricts connections refuses it, and its guard checks endpoint_url when a config loads', async () => {
    const refused: unknown[] = [];
    const connectionGuard = {
      resolve: async () => ({ address: '127.0.0.1', family: 4 as const }),
      refusal: async (url: unknown) => {
        refused.push(url);
        return 'is not on the allow-list';
      },
    };
    const config = { primary: 'Bedrock', clients: [{ name: 'Bedrock', provider: 'aws-bedrock', options: emulatorOptions(emulator.current, uniqueModel('guarded')) }] };
    const error = await ClientRegistry.fromConfig(config, { providers: [awsBedrock], env: {}, connectionGuard, store: new MemoryStateStore() }).catch((caught: unknown) => caught);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('clients[0].options.endpoint_url: is not on the allow-list');
    expect(refused).toEqual([emulator.current.baseUrls.bedrock]);
  });
});

describe('region and credentials, resolved when the model is built', () => {
  test('a missing region names the option and the environment variables, when the client is used', async () => {
    const registry = registryWith({ model: 'anthropic.claude-3-5-haiku-20241022-v1:0', access_key_id: 'AKIAEXAMPLE', secret_access_key: 'secret-value' });
    const error = await registry.generate(hello).catch((caught: unknown) => caught);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/addLlmClient\('Bedrock'\)\.options\.region: .*AWS_REGION/);
  });

  test('a registry with its own env and no credentials in it does not borrow the process chain', async () => {
    const registry = registryWith({ model: 'm', region: 'us-east-1' }, { env: { HOME: '/nowhere' } });
    const error = await registry.generate(hello).catch((caught: unknown) => caught);
    expect(RegError.isInstance(error) && error.code).toBe('missing_credentials');
    expect((error as Error).message).toMatch(/access_key_id.*AWS_ACCESS_KEY_ID/);
  });

  test('AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_ENDPOINT_URL from the registry env', async () => {
    const model = uniqueModel('env');
    const env = {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.aws.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.aws.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulator.current.baseUrls.bedrock,
    };
    const result = await registryWith({ model }, { env }).generate(hello);
    expect(result.text).toBe('echo: Hello');
    expect(readSigV4Authorization(emulator.current.requests({ model })[0]!.headers)).toMatchObject({ accessKeyId: TEST_CREDENTIALS.aws.accessKeyId, region: 'us-east-1' });
  });

  test('explicit options win over the environment', async () => {
    const model = uniqueModel('explicit');
    const env = { AWS_ACCESS_KEY_ID: 'AKIAOTHER00000000000', AWS_SECRET_ACCESS_KEY: 'other-secret-0000', AWS_REGION: 'eu-central-1' };
    await registryWith(emulatorOptions(emulator.current, model), { env }).generate(hello);
    expect(readSigV4Authorization(emulator.current.requests({ model })[0]!.headers)).toMatchObject({ accessKeyId: TEST_CREDENTIALS.aws.accessKeyId, region: 'us-east-1' });
  });
});

describe('the reference configuration', () => {
  // Beamlens' "AWS Bedrock" client_registry, as YAML, with credentials from the environment.
  const REFERENCE = `
primary: Bedrock
clients:
  - name: Bedrock
    provider: aws-bedrock
    options:
      model: anthropic.claude-3-5-haiku-20241022-v1:0
      region: us-east-1
`;

  test('works as written, with env credentials through the registry env option', async () => {
    const model = 'anthropic.claude-3-5-haiku-20241022-v1:0';
    emulator.current.script(model, { reply: { text: 'Hello from Bedrock.' } });
    const env = {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.aws.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.aws.secretAccessKey,
      AWS_ENDPOINT_URL: emulator.current.baseUrls.bedrock,
    };
    const registry = await ClientRegistry.fromConfig(parse(REFERENCE) as object, { providers: [awsBedrock], env, store: new MemoryStateStore() });
    const result = await registry.generate(hello);
    expect(result).toMatchObject({ text: 'Hello from Bedrock.', client: 'Bedrock', provider: 'aws-bedrock', model });
    const [request] = emulator.current.requests({ model });
    expect(request?.path).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
    expect(readSigV4Authorization(request!.headers)).toMatchObject({ region: 'us-east-1', service: 'bedrock' });

    const parts = [];
    for await (const part of registry.stream(hello)) parts.push(part.type);
    expect(parts[0]).toBe('start');
    expect(parts.at(-1)).toBe('finish');
  });
});
