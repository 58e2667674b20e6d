import { ClientRegistry, ConfigError, type ModelProvider } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { callOptions, failure, providerContext, useEmulator, user } from '@reg/testkit/vitest';
import { azureOpenAI, openai, openaiGeneric, openrouter } from '../src/index.js';

const emulator = useEmulator();
const hello = user('Say hello');

function issues(provider: ModelProvider<unknown>, raw: Record<string, unknown>): string[] {
  try {
    provider.parseOptions(raw, providerContext());
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true);
    return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('option validation', () => {
  it('names every wrong option with its path and what was expected', () => {
    expect(
      issues(openai, {
        temperature: 'hot',
        top_p: 2,
        max_tokens: 1.5,
        stop: [1],
        headers: { 'x-a': { nested: true } },
        base_url: 'ftp://example.com',
        response_format: { schema: {} },
        messages: [],
      }),
    ).toEqual([
      'clients[0].options.model: is required',
      'clients[0].options.base_url: must be an http(s) URL, not "ftp://example.com"',
      'clients[0].options.headers.x-a: must be a string, not {"nested":true}',
      'clients[0].options.max_tokens: must be a whole number, not 1.5',
      'clients[0].options.temperature: must be a number, not "hot"',
      'clients[0].options.top_p: must be at most 1, not 2',
      'clients[0].options.stop: must be a string or a list of strings, not [1]',
      "clients[0].options.response_format.type: is required: 'text', 'json_object' or 'json_schema'",
      'clients[0].options.messages: is set by reg for each call and cannot be a client option',
    ]);
  });

  it('requires base_url for openai-generic and a resource or base_url for azure-openai', () => {
    expect(issues(openaiGeneric, { model: 'llama3.2' })).toEqual(['clients[0].options.base_url: is required']);
    expect(issues(azureOpenAI, { deployment_id: 'd' })).toEqual(['clients[0].options.resource_name: is required (with deployment_id and api_version) unless base_url is given']);
    expect(issues(azureOpenAI, { resource_name: 'r', deployment_id: 'd' })[0]).toMatch(/^clients\[0\]\.options\.api_version: is required/);
    expect(issues(azureOpenAI, { resource_name: 'r', deployment_id: 'd', api_version: 'v', api_key: 'k', azure_ad_token_provider: async () => 't' })).toEqual([
      'clients[0].options.azure_ad_token_provider: cannot be combined with api_key: give one of them',
    ]);
    expect(issues(openrouter, { model: 'm', app_name: 3 })).toEqual(['clients[0].options.app_name: must be a non-empty string, not 3']);
    expect(issues(openai, { model: 'm', max_tokens: 5, max_completion_tokens: 5 })).toEqual([
      'clients[0].options.max_completion_tokens: cannot be combined with max_tokens: give one of them',
    ]);
  });

  it('reports config errors from fromConfig with the client path', async () => {
    const error = await failure(
      ClientRegistry.fromConfig({ clients: [{ name: 'A', provider: 'openai', options: { model: 'gpt-4o', temperature: 5 } }] }, { providers: [openai], env: {} }),
    );
    expect((error as Error).message).toContain('clients[0].options.temperature: must be at most 2, not 5');
  });

  it('fails a client without a key only when it is called, naming the option and the variable', async () => {
    const registry = new ClientRegistry({ providers: [openai, openrouter], env: {} });
    registry.addLlmClient('NoKey', 'openai', { model: 'gpt-4o' });
    registry.addLlmClient('NoRouterKey', 'openrouter', { model: 'openai/gpt-4o' });
    const error = await failure(registry.generate(hello, { client: 'NoKey' }));
    expect(error).toMatchObject({ code: 'missing_credentials', client: 'NoKey' });
    expect((error as Error).message).toBe("Client 'NoKey' (openai) has no credentials: set options.api_key or set the OPENAI_API_KEY environment variable.");
    expect((await failure(registry.generate(hello, { client: 'NoRouterKey' })) as Error).message).toMatch(/OPENROUTER_API_KEY/);
  });
});

describe('through the registry', () => {
  it('applies connect_timeout_ms through one dispatcher per model, still reusing connections', async () => {
    const registry = new ClientRegistry({ providers: [openai], env: {} });
    registry.addLlmClient('Timed', 'openai', { model: 'gpt-timed', base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai, http: { connect_timeout_ms: 2000 } });
    for (let index = 0; index < 4; index++) await registry.generate(hello, { client: 'Timed' });
    expect(new Set(emulator.current.requests({ model: 'gpt-timed' }).map((request) => request.connectionId)).size).toBeLessThanOrEqual(2);
  });

  it('keeps the client name in error messages and never the key', async () => {
    emulator.current.script('gpt-denied', { sequence: [{ kind: 'status', status: 401, message: `Incorrect API key provided: ${TEST_CREDENTIALS.openai}.` }] });
    const model = openai.createModel(openai.parseOptions({ model: 'gpt-denied', base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai }, providerContext()), providerContext());
    const error = await failure(model.doGenerate(hello, callOptions({ client: 'Billing' })));
    expect(error).toMatchObject({ code: 'auth', client: 'Billing', status: 401 });
    expect((error as Error).message).toMatch(/^Client 'Billing' \(openai, model gpt-denied\) failed with HTTP 401: .* Check the client's api_key/);
    expect((error as Error).message).not.toContain(TEST_CREDENTIALS.openai);
  });
});
