import { ClientRegistry, ConfigError, type ModelProvider } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildModel, callOptions, failure, providerContext, useEmulator, user } from '@reg/testkit/vitest';
import { azureOpenAI, openai, openaiGeneric, openaiResponses, openrouter } from '../src/index.js';
import { routeAllHostsTo } from './route-all-hosts.js';

const emulator = useEmulator();
const hello = user('Say hello');
const providers: Array<ModelProvider<unknown>> = [openai, openaiResponses, openaiGeneric, azureOpenAI, openrouter];

describe('declarations', () => {
  it.each(providers.map((provider) => [provider.name, provider] as const))('%s: explicit credentials, guarded connections, base_url, capabilities', (_name, provider) => {
    expect(provider).toMatchObject({
      credentials: 'explicit',
      guardsConnections: true,
      endpointOptions: ['base_url'],
      capabilities: { streaming: true, tools: true, images: true, jsonSchema: true },
    });
  });

  it('declare the file types each API takes: Chat Completions PDFs and audio, Responses documents and no audio', () => {
    const chat = ['application/pdf', 'audio/wav', 'audio/x-wav', 'audio/mpeg', 'audio/mp3'];
    expect(openai.capabilities?.fileTypes).toEqual(chat);
    expect(azureOpenAI.capabilities?.fileTypes).toEqual(chat);
    expect(openaiGeneric.capabilities?.fileTypes).toEqual(chat);
    expect(openrouter.capabilities?.fileTypes).toEqual([...chat, 'audio/flac', 'audio/ogg', 'audio/aac', 'audio/mp4', 'audio/x-m4a', 'audio/aiff']);
    const documents = openaiResponses.capabilities?.fileTypes ?? [];
    expect(documents).toEqual(expect.arrayContaining(['application/pdf', 'text/plain', 'text/csv', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document']));
    expect(documents.some((type) => type.startsWith('audio/'))).toBe(false);
  });

  it('are accepted by a registry that allows explicit credentials only', async () => {
    const registry = new ClientRegistry({ providers, env: {}, credentials: 'explicit' });
    registry.addLlmClient('Mini', 'openai', { model: 'decl-openai', base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
    registry.addLlmClient('Router', 'openrouter', { model: 'decl-router', base_url: emulator.current.baseUrls.openrouter, api_key: TEST_CREDENTIALS.openrouter });
    expect((await registry.generate(hello, { client: 'Mini' })).client).toBe('Mini');
    expect((await registry.generate(hello, { client: 'Router' })).client).toBe('Router');
  });
});

describe('nothing is read from process.env behind the registry', () => {
  // Everything the official SDK (or a reader of the SDK's conventions) would pick up by itself.
  const ambient = {
    OPENAI_API_KEY: 'sk-ambient-openai-key-0000',
    OPENAI_ADMIN_KEY: 'sk-admin-ambient-key-0000',
    OPENAI_BASE_URL: 'http://ambient.invalid/v1',
    OPENAI_ORG_ID: 'org-ambient',
    OPENAI_PROJECT_ID: 'proj-ambient',
    OPENAI_CUSTOM_HEADERS: 'x-ambient-secret: leaked',
    OPENAI_API_VERSION: '2024-10-21',
    AZURE_OPENAI_API_KEY: 'azure-ambient-key-0000',
    AZURE_OPENAI_ENDPOINT: 'http://ambient.invalid',
    OPENROUTER_API_KEY: 'sk-or-ambient-key-0000',
  };
  beforeEach(() => {
    for (const [name, value] of Object.entries(ambient)) vi.stubEnv(name, value);
  });
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    ['openai', openai, { model: 'm' }],
    ['openai-responses', openaiResponses, { model: 'm' }],
    ['openrouter', openrouter, { model: 'm' }],
    ['azure-openai', azureOpenAI, { base_url: 'https://res.openai.azure.com/openai/v1', model: 'm' }],
  ] as const)('%s finds no key in process.env', async (_name, provider, raw) => {
    const error = await failure(Promise.resolve().then(() => buildModel(provider as ModelProvider<unknown>, raw)));
    expect(error).toMatchObject({ code: 'missing_credentials' });
  });

  it('azure-openai takes neither AZURE_OPENAI_ENDPOINT nor OPENAI_API_VERSION from process.env', () => {
    const issuesOf = (raw: Record<string, unknown>) => {
      try {
        azureOpenAI.parseOptions(raw, providerContext());
      } catch (error) {
        if (ConfigError.isInstance(error)) return (error as ConfigError).issues.map((issue) => issue.path);
      }
      return [];
    };
    expect(issuesOf({ deployment_id: 'dep' })).toEqual(['clients[0].options.resource_name']);
    expect(issuesOf({ resource_name: 'res', deployment_id: 'dep' })).toEqual(['clients[0].options.api_version']);
  });

  it('sends no ambient base URL, organization, project, admin key or custom headers', async () => {
    await buildModel(openai, { model: 'decl-plain', base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai }).doGenerate(hello, callOptions());
    await buildModel(openaiResponses, { model: 'decl-responses', base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai }).doGenerate(hello, callOptions());
    await buildModel(openaiGeneric, { model: 'decl-generic', base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai }).doGenerate(hello, callOptions());
    for (const model of ['decl-plain', 'decl-responses', 'decl-generic']) {
      const [request] = emulator.current.requests({ model });
      expect(request?.headers).not.toHaveProperty('openai-organization');
      expect(request?.headers).not.toHaveProperty('openai-project');
      expect(request?.headers).not.toHaveProperty('x-ambient-secret');
      expect(request?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.openai}`);
    }

    // Without base_url, the default is OpenAI's, not OPENAI_BASE_URL from process.env.
    const route = routeAllHostsTo(() => new URL(emulator.current.baseUrls.openai).origin);
    try {
      await buildModel(openai, { model: 'decl-default', api_key: TEST_CREDENTIALS.openai }).doGenerate(hello, callOptions());
    } finally {
      route.restore();
    }
    expect(route.origins).toEqual(['https://api.openai.com']);
  });
});
