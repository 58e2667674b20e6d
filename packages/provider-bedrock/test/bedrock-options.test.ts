import { ClientRegistry, ConfigError, MemoryStateStore, RegError } from '@reg/core';
import { readSigV4Authorization, startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { awsBedrock } from '../src/index.js';
import { emulatorOptions, registryWith, uniqueModel } from './helpers.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] };
const context = { client: 'Bedrock', path: 'clients[2].options', env: {} };

function configIssues(raw: Record<string, unknown>): string[] {
  try {
    awsBedrock.parseOptions(raw, context);
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true);
    return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  return [];
}

describe('options validation', () => {
  test.each([
    [{ model: 'm', region: 5 }, /clients\[2\]\.options\.region: must be a non-empty string, not 5/],
    [{ model: 'm', endpoint_url: 'not a url' }, /endpoint_url: must be an http\(s\) URL/],
    [{ model: 'm', access_key_id: 'AKIAEXAMPLE' }, /options\.secret_access_key: is required when/],
    [{ model: 'm', session_token: 'token' }, /options\.session_token: needs access_key_id/],
    [{ model: 'm', inference_configuration: { max_tokens: 0 } }, /inference_configuration\.max_tokens: must be a whole number of at least 1/],
    [{ model: 'm', inference_configuration: { temperature: 2 } }, /inference_configuration\.temperature: must be a number from 0 to 1/],
    [{ model: 'm', inference_configuration: { stop_sequences: 'END' } }, /inference_configuration\.stop_sequences: must be a list/],
    [{ model: 'm', inference_configuration: { top_k: 5 } }, /inference_configuration\.top_k: is not a known option/],
    [{ model: 'm', additional_model_request_fields: [1] }, /additional_model_request_fields: must be an object/],
    [{ model: '' }, /options\.model: must be a Bedrock model id/],
  ])('%o is rejected with its path', (raw, expected) => {
    expect(configIssues(raw).join('\n')).toMatch(expected);
  });

  test('valid options parse to a plain, comparable object', () => {
    const parsed = awsBedrock.parseOptions({ model: 'm', region: 'us-east-1', inference_configuration: { max_tokens: 10 }, guardrailConfig: { guardrailIdentifier: 'g', guardrailVersion: '1' }, top_k: 4 }, context);
    expect(parsed).toEqual({
      model: 'm',
      region: 'us-east-1',
      inference_configuration: { max_tokens: 10 },
      passthrough: { guardrailConfig: { guardrailIdentifier: 'g', guardrailVersion: '1' } },
      additional_model_request_fields: { top_k: 4 },
    });
  });

  test('a missing region names the option and the environment variables, when the client is used', async () => {
    const registry = registryWith({ model: 'anthropic.claude-3-5-haiku-20241022-v1:0', access_key_id: 'AKIAEXAMPLE', secret_access_key: 'secret-value' });
    const error = await registry.generate(hello).catch((caught: unknown) => caught);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/addLlmClient\('Bedrock'\)\.options\.region: .*AWS_REGION/);
  });

  test('a registry with its own env and no credentials in it does not borrow the process chain', async () => {
    const registry = registryWith({ model: 'm', region: 'us-east-1' }, { HOME: '/nowhere' });
    const error = await registry.generate(hello).catch((caught: unknown) => caught);
    expect(RegError.isInstance(error) && error.code).toBe('missing_credentials');
    expect((error as Error).message).toMatch(/access_key_id.*AWS_ACCESS_KEY_ID/);
  });
});

describe('credentials and region from the environment', () => {
  test('AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_ENDPOINT_URL from the registry env', async () => {
    const model = uniqueModel('env');
    const env = {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.aws.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.aws.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulator.baseUrls.bedrock,
    };
    const result = await registryWith({ model }, env).generate(hello);
    expect(result.text).toBe('echo: Hello');
    expect(readSigV4Authorization(emulator.requests({ model })[0]!.headers)).toMatchObject({ accessKeyId: TEST_CREDENTIALS.aws.accessKeyId, region: 'us-east-1' });
  });

  test('explicit options win over the environment', async () => {
    const model = uniqueModel('explicit');
    const env = { AWS_ACCESS_KEY_ID: 'AKIAOTHER00000000000', AWS_SECRET_ACCESS_KEY: 'other-secret-0000', AWS_REGION: 'eu-central-1' };
    await registryWith(emulatorOptions(emulator, model), env).generate(hello);
    expect(readSigV4Authorization(emulator.requests({ model })[0]!.headers)).toMatchObject({ accessKeyId: TEST_CREDENTIALS.aws.accessKeyId, region: 'us-east-1' });
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
    emulator.script(model, { reply: { text: 'Hello from Bedrock.' } });
    const env = {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.aws.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.aws.secretAccessKey,
      AWS_ENDPOINT_URL: emulator.baseUrls.bedrock,
    };
    const registry = await ClientRegistry.fromConfig(parse(REFERENCE) as object, { providers: [awsBedrock], env, store: new MemoryStateStore() });
    const result = await registry.generate(hello);
    expect(result).toMatchObject({ text: 'Hello from Bedrock.', client: 'Bedrock', provider: 'aws-bedrock', model });
    const [request] = emulator.requests({ model });
    expect(request?.path).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
    expect(readSigV4Authorization(request!.headers)).toMatchObject({ region: 'us-east-1', service: 'bedrock' });

    const parts = [];
    for await (const part of registry.stream(hello)) parts.push(part.type);
    expect(parts[0]).toBe('start');
    expect(parts.at(-1)).toBe('finish');
  });
});
