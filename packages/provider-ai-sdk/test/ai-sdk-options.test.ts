import { ClientRegistry, ConfigError, RegError } from '@reg/core';
import { describe, expect, it } from 'vitest';
import { providerContext } from '@reg/testkit/vitest';
import { aiSdk } from '../src/index.js';

const parse = (raw: Record<string, unknown>) => aiSdk.parseOptions(raw, providerContext());

function issuesOf(raw: Record<string, unknown>): Array<{ path: string; message: string }> {
  try {
    parse(raw);
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('ai-sdk options', () => {
  it('takes the package, model, factory, settings and request options', () => {
    const options = parse({
      package: '@ai-sdk/mistral',
      model: 'mistral-large-latest',
      factory: 'createMistral',
      settings: { apiKey: 'mistral-key-123456', headers: { 'x-team': 'search' } },
      temperature: 0.2,
      max_tokens: 256,
      top_p: 0.9,
      top_k: 40,
      seed: 7,
      stop_sequences: ['END'],
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      headers: { 'x-call': 'yes' },
      provider_options: { mistral: { safePrompt: true } },
      safe_prompt: true,
    });
    expect(options).toMatchObject({
      package: '@ai-sdk/mistral',
      model: 'mistral-large-latest',
      factory: 'createMistral',
      settings: { apiKey: 'mistral-key-123456', headers: { 'x-team': 'search' } },
      temperature: 0.2,
      maxTokens: 256,
      topP: 0.9,
      topK: 40,
      seed: 7,
      stopSequences: ['END'],
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      headers: { 'x-call': 'yes' },
      providerOptions: { mistral: { safePrompt: true } },
      passthrough: { safe_prompt: true },
    });
  });

  it("maps BAML's api_key and base_url into the factory settings", () => {
    const options = parse({ package: '@ai-sdk/mistral', model: 'm', api_key: 'mistral-key-123456', base_url: 'https://proxy.example.com/v1' });
    expect(options.settings).toEqual({ apiKey: 'mistral-key-123456', baseURL: 'https://proxy.example.com/v1' });
    expect(options.passthrough).toEqual({});
    expect(issuesOf({ package: '@ai-sdk/mistral', model: 'm', api_key: 'a-key-123456', settings: { apiKey: 'other-key-123' } })).toEqual([
      { path: 'clients[0].options.api_key', message: 'and settings.apiKey are both set; keep one' },
    ]);
  });

  it('writes numbers and booleans in headers as text, as every provider does', () => {
    expect(parse({ package: '@ai-sdk/mistral', model: 'm', headers: { 'x-retries': 2, 'x-debug': true } }).headers).toEqual({ 'x-retries': '2', 'x-debug': 'true' });
  });

  it('names every invalid option with its path and never echoes a key', () => {
    const issues = issuesOf({
      package: 'not a package!',
      model: 12,
      factory: 'create-mistral',
      settings: 'apiKey=abc',
      api_key: 42,
      base_url: 'ftp://nope',
      temperature: -1,
      max_tokens: 1.5,
      top_p: 2,
      stop_sequences: 'END',
      headers: { 'x-n': { value: 1 } },
      provider_options: { mistral: true },
      messages: [],
    });
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path.replace('clients[0].options.', ''), issue.message]));
    expect(Object.keys(byPath).sort()).toEqual(
      ['api_key', 'base_url', 'factory', 'headers.x-n', 'max_tokens', 'messages', 'model', 'package', 'provider_options', 'settings', 'stop_sequences', 'temperature', 'top_p'].sort(),
    );
    expect(byPath.api_key).toBe('must be a non-empty string');
    expect(byPath.temperature).toContain('at least 0');
    expect(byPath.messages).toContain('set from each request');
  });

  it('needs a package, a provider or a model object, and only one of them', () => {
    expect(issuesOf({ model: 'mistral-large-latest' })).toEqual([
      { path: 'clients[0].options.package', message: expect.stringContaining("the AI SDK provider package to load (e.g. '@ai-sdk/mistral')") },
    ]);
    expect(issuesOf({ package: '@ai-sdk/mistral' })[0]?.path).toBe('clients[0].options.model');
    expect(issuesOf({ package: '@ai-sdk/mistral', model: 'm', provider: () => undefined })[0]?.message).toContain('not several');
    expect(issuesOf({ model: 'm', factory: 'createMistral', provider: () => undefined })[0]).toEqual({
      path: 'clients[0].options.factory',
      message: 'only applies with options.package',
    });
    expect(issuesOf({ model: 'm', provider: { languageModel: 'no' } })[0]?.path).toBe('clients[0].options.provider');
  });

  it('reports options errors through the registry with the config path', async () => {
    const loading = ClientRegistry.fromConfig(
      { clients: [{ name: 'Mistral', provider: 'ai-sdk', options: { package: '@ai-sdk/mistral', model: 'm', temperature: 'hot' } }] },
      { providers: [aiSdk], env: {} },
    );
    const error = await loading.catch((thrown: unknown) => thrown);
    expect(RegError.isInstance(error) && error.code).toBe('config');
    expect((error as Error).message).toContain('clients[0].options.temperature: must be a number');
  });

  it('reads the ai-sdk/<package>/<model> shorthand', () => {
    expect(aiSdk.shorthandOptions?.('@ai-sdk/mistral/mistral-large-latest')).toEqual({ package: '@ai-sdk/mistral', model: 'mistral-large-latest' });
    expect(aiSdk.shorthandOptions?.('ollama-ai-provider/llama3.1/8b')).toEqual({ package: 'ollama-ai-provider', model: 'llama3.1/8b' });
    expect(aiSdk.shorthandOptions?.('mistral-large-latest')).toEqual({ model: 'mistral-large-latest' });
  });
});
