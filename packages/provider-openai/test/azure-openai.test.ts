import { ConfigError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { buildModel, callOptions, failure, providerContext, useEmulator, user } from '@reg/testkit/vitest';
import { azureOpenAI } from '../src/index.js';

const emulator = useEmulator();
const hello = user('Say hello');

describe('azure-openai', () => {
  it('calls a deployment with api-version and the api-key header, never a bearer token', async () => {
    emulator.current.script('prod-gpt4o', { reply: { text: 'From Azure.' } });
    const model = buildModel(azureOpenAI, { base_url: `${emulator.current.baseUrls.azure}/openai/deployments/prod-gpt4o`, api_version: '2024-10-21' }, { env: { AZURE_OPENAI_API_KEY: TEST_CREDENTIALS.azure } });
    expect(model.model).toBe('prod-gpt4o');
    const result = await model.doGenerate({ ...hello, maxTokens: 20 }, callOptions());
    expect(result.content).toEqual([{ type: 'text', text: 'From Azure.' }]);
    const [request] = emulator.current.requests({ vendor: 'azure' });
    expect(request).toMatchObject({ path: '/openai/deployments/prod-gpt4o/chat/completions', query: { 'api-version': '2024-10-21' } });
    expect(request?.headers['api-key']).toBe(TEST_CREDENTIALS.azure);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toMatchObject({ model: 'prod-gpt4o', max_tokens: 20 });
  });

  it('calls the /openai/v1 API with the model in the body and no api-version', async () => {
    emulator.current.script('gpt-4o-mini', { reply: { text: 'v1 works' } });
    const model = buildModel(azureOpenAI, { base_url: `${emulator.current.baseUrls.azure}/openai/v1`, model: 'gpt-4o-mini', api_key: TEST_CREDENTIALS.azure });
    expect((await model.doGenerate(hello, callOptions())).content).toEqual([{ type: 'text', text: 'v1 works' }]);
    const [request] = emulator.current.requests({ vendor: 'azure' });
    expect(request).toMatchObject({ path: '/openai/v1/chat/completions', query: {}, model: 'gpt-4o-mini' });
    expect(request?.headers['api-key']).toBe(TEST_CREDENTIALS.azure);
  });

  it('authenticates with an Entra ID token provider, asked on every request', async () => {
    let calls = 0;
    const model = buildModel(azureOpenAI, {
      base_url: `${emulator.current.baseUrls.azure}/openai/v1`,
      model: 'gpt-4o',
      azure_ad_token_provider: async () => `entra-token-${++calls}`,
    });
    await model.doGenerate(hello, callOptions());
    await model.doGenerate(hello, callOptions());
    const requests = emulator.current.requests({ vendor: 'azure' });
    expect(requests.map((request) => request.headers.authorization)).toEqual(['Bearer entra-token-1', 'Bearer entra-token-2']);
    expect(requests[0]?.headers['api-key']).toBeUndefined();
  });

  it("maps Azure's gateway errors: a 404 deployment and a 429 with retry-after", async () => {
    emulator.current.script('prod-gpt4o', { sequence: [{ kind: 'status', status: 404 }, { kind: 'status', status: 429, retryAfterSeconds: 6 }] });
    const model = buildModel(azureOpenAI, { base_url: `${emulator.current.baseUrls.azure}/openai/deployments/prod-gpt4o`, api_version: '2024-10-21', api_key: TEST_CREDENTIALS.azure });
    expect(await failure(model.doGenerate(hello, callOptions()))).toMatchObject({ code: 'not_found', status: 404, retryable: false });
    const limited = await failure(model.doGenerate(hello, callOptions()));
    expect(limited).toMatchObject({ code: 'rate_limited', status: 429, retryable: true, retryAfterMs: 6000 });
    expect((limited as Error).message).toMatch(/^Client 'Test' \(azure-openai, model prod-gpt4o\) failed with HTTP 429: Requests to the ChatCompletions_Create/);
  });

  it('names the option and the variable when no key is configured', async () => {
    const error = await failure(Promise.resolve().then(() => buildModel(azureOpenAI, { resource_name: 'res', deployment_id: 'dep', api_version: '2024-10-21' })));
    expect(error).toMatchObject({ code: 'missing_credentials' });
    expect((error as Error).message).toMatch(/api_key \(or azure_ad_token_provider\) or set the AZURE_OPENAI_API_KEY/);
  });

  it.each(['evil.example/x', 'user@evil.example', 'evil.example#', 'res.evil.example'])('refuses the resource_name %s, which would move the host', (resourceName) => {
    const error = (() => {
      try {
        azureOpenAI.parseOptions({ resource_name: resourceName, deployment_id: 'dep', api_version: '2024-10-21', api_key: TEST_CREDENTIALS.azure }, providerContext());
      } catch (thrown) {
        return thrown;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([{ path: 'clients[0].options.resource_name', message: 'must be letters, digits and dashes' }]);
  });

  it('builds https://<resource_name>.openai.azure.com from a resource name of letters, digits and dashes', () => {
    const options = azureOpenAI.parseOptions({ resource_name: 'My-Resource-2', deployment_id: 'dep', api_version: '2024-10-21' }, providerContext());
    expect(options.baseUrl).toBe('https://My-Resource-2.openai.azure.com/openai/deployments/dep');
  });
});
