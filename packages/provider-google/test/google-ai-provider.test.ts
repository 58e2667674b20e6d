import { ClientRegistry, ConfigError, MissingCredentialsError, type ConnectionGuard } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { buildModel, callOptions, collect, user, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { googleAi, vertexAi } from '../src/index.js';
import { geminiModel } from './google-models.js';

const emulator = useEmulator();

describe('google-ai credentials and endpoint', () => {
  it('a missing key throws MissingCredentialsError from createModel, naming option and variables', () => {
    let thrown: unknown;
    try {
      buildModel(googleAi, { model: 'm' });
    } catch (caught) {
      thrown = caught;
    }
    expect(MissingCredentialsError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toContain('options.api_key');
    expect((thrown as Error).message).toContain('GOOGLE_API_KEY');
    expect((thrown as Error).message).toContain('GEMINI_API_KEY');
  });

  it('reads GOOGLE_API_KEY, then GEMINI_API_KEY, from the registry env', async () => {
    const options = { model: 'gemini-env', base_url: emulator.current.baseUrls.gemini };
    await buildModel(googleAi, options, { env: { GOOGLE_API_KEY: TEST_CREDENTIALS.gemini, GEMINI_API_KEY: 'other-key-0000' } }).doGenerate(user('x'), callOptions());
    await buildModel(googleAi, options, { env: { GEMINI_API_KEY: TEST_CREDENTIALS.gemini } }).doGenerate(user('x'), callOptions());
    const keys = emulator.current.requests({ model: 'gemini-env' }).map((request) => request.headers['x-goog-api-key']);
    expect(keys).toEqual([TEST_CREDENTIALS.gemini, TEST_CREDENTIALS.gemini]);
  });

  it('a BAML base_url ending in the API version is accepted; query_params are appended', async () => {
    const model = geminiModel(emulator.current, 'gemini-req', { base_url: `${emulator.current.baseUrls.gemini}/v1`, query_params: { trace: 'on' } });
    await model.doGenerate(user('x'), callOptions());
    await collect(model.doStream(user('x'), callOptions()));
    const requests = emulator.current.requests({ model: 'gemini-req' });
    expect(requests.map((request) => request.path)).toEqual(['/v1/models/gemini-req:generateContent', '/v1/models/gemini-req:streamGenerateContent']);
    expect(requests.map((request) => request.query)).toEqual([{ trace: 'on' }, { alt: 'sse', trace: 'on' }]);
  });
});

describe('declarations', () => {
  it('google-ai declares explicit credentials, guarded connections and base_url; vertex-ai ambient credentials, unguarded', () => {
    const capabilities = { streaming: true, tools: true, images: true, jsonSchema: true };
    expect(googleAi).toMatchObject({ credentials: 'explicit', guardsConnections: true, endpointOptions: ['base_url'], capabilities });
    expect(vertexAi).toMatchObject({ credentials: 'ambient', endpointOptions: ['base_url'], capabilities });
    expect(vertexAi.guardsConnections).toBeUndefined();
  });

  it('each declares the file types its own API documents', () => {
    expect(googleAi.capabilities?.fileTypes).toContain('audio/aiff');
    expect(googleAi.capabilities?.fileTypes).not.toContain('audio/mpeg');
    expect(vertexAi.capabilities?.fileTypes).toContain('audio/mpeg');
    expect(vertexAi.capabilities?.fileTypes).not.toContain('audio/aiff');
    for (const provider of [googleAi, vertexAi]) expect(provider.capabilities?.fileTypes).toEqual(expect.arrayContaining(['application/pdf', 'text/plain', 'audio/wav']));
  });

  it('a registry that allows explicit credentials only takes google-ai and refuses vertex-ai (ADC)', async () => {
    const error = await ClientRegistry.fromConfig(
      {
        clients: [
          { name: 'Gemini', provider: 'google-ai', options: { model: 'gemini-2.0-flash', api_key: TEST_CREDENTIALS.gemini } },
          { name: 'Vertex', provider: 'vertex-ai', options: { model: 'gemini-2.5-pro', project_id: 'p' } },
        ],
      },
      { providers: [googleAi, vertexAi], env: {}, credentials: 'explicit' },
    ).catch((thrown: unknown) => thrown);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual(['clients[1].provider']);
  });

  it("a connection guard refuses a google-ai base_url when the config loads, and vertex-ai altogether", async () => {
    const guard: ConnectionGuard = {
      resolve: async () => ({ address: '127.0.0.1', family: 4 }),
      refusal: async (url) => (String(url).includes('refused.example') ? 'is not on the allow-list' : undefined),
    };
    const error = await ClientRegistry.fromConfig(
      {
        clients: [
          { name: 'Gemini', provider: 'google-ai', options: { model: 'gemini-2.0-flash', api_key: TEST_CREDENTIALS.gemini, base_url: 'https://refused.example/v1beta' } },
          { name: 'Vertex', provider: 'vertex-ai', options: { model: 'gemini-2.5-pro', project_id: 'p', query_params: { key: TEST_CREDENTIALS.vertexApiKey } } },
        ],
      },
      { providers: [googleAi, vertexAi], env: {}, connectionGuard: guard },
    ).catch((thrown: unknown) => thrown);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual(['clients[0].options.base_url', 'clients[1].provider']);
  });
});
