import { readFile } from 'node:fs/promises';
import { ClientRegistry, type RegError } from '@reg/core';
import { TEST_CREDENTIALS, createServiceAccountKey, emulatorTokenFetch } from '@reg/testkit';
import { buildModel, callOptions, collect, failure, user, useEmulator } from '@reg/testkit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { vertexAi } from '../src/index.js';

const emulator = useEmulator();
let keyPath: string;
let keyJson: Record<string, unknown>;

beforeAll(async () => {
  ({ path: keyPath } = await createServiceAccountKey({ projectId: 'key-project' }));
  keyJson = JSON.parse(await readFile(keyPath, 'utf8')) as Record<string, unknown>;
});

const PATH = '/v1/projects/reg-project/locations/us-central1/publishers/google/models';

function tokenFetch() {
  return { clientOptions: { transporterOptions: { fetchImplementation: emulatorTokenFetch(emulator.current.url) } } };
}

function vertex(options: Record<string, unknown>, env: Record<string, string> = {}) {
  return buildModel(vertexAi, { model: 'gemini-vertex', base_url: emulator.current.baseUrls.vertex, location: 'us-central1', ...options }, { env });
}

describe('vertex-ai authentication', () => {
  it('a key file path: one token request for many calls, bearer checked by Vertex', async () => {
    const model = vertex({ project_id: 'reg-project', credentials: keyPath, google_auth_options: tokenFetch() });
    for (let index = 0; index < 3; index++) await model.doGenerate(user(`call ${index}`), callOptions());
    await collect(model.doStream(user('stream'), callOptions()));
    expect(emulator.current.requests({ vendor: 'oauth' })).toHaveLength(1);
    const calls = emulator.current.requests({ vendor: 'vertex' });
    expect(calls.map((request) => request.path)).toEqual([
      ...Array(3).fill(`${PATH}/gemini-vertex:generateContent`),
      `${PATH}/gemini-vertex:streamGenerateContent`,
    ]);
    expect(new Set(calls.map((request) => request.headers.authorization)).size).toBe(1);
    expect(calls[0]?.headers.authorization).toMatch(/^Bearer ya29\./);
  });

  it('the key JSON as an object or as text; the project comes from the key when not given', async () => {
    await vertex({ credentials: keyJson, google_auth_options: tokenFetch() }).doGenerate(user('x'), callOptions());
    await vertex({ credentials: JSON.stringify(keyJson), project_id: 'reg-project', google_auth_options: tokenFetch() }).doGenerate(user('x'), callOptions());
    const paths = emulator.current.requests({ vendor: 'vertex' }).map((request) => request.path);
    expect(paths).toEqual([
      '/v1/projects/key-project/locations/us-central1/publishers/google/models/gemini-vertex:generateContent',
      `${PATH}/gemini-vertex:generateContent`,
    ]);
  });

  it('Application Default Credentials from GOOGLE_APPLICATION_CREDENTIALS and GOOGLE_CLOUD_PROJECT in the registry env', async () => {
    const model = vertex({ google_auth_options: tokenFetch() }, { GOOGLE_APPLICATION_CREDENTIALS: keyPath, GOOGLE_CLOUD_PROJECT: 'reg-project' });
    await model.doGenerate(user('x'), callOptions());
    expect(emulator.current.requests({ vendor: 'vertex' })[0]?.path).toBe(`${PATH}/gemini-vertex:generateContent`);
    expect(emulator.current.requests({ vendor: 'oauth' })).toHaveLength(1);
  });

  it('an explicit access token is sent as the bearer, with no token request', async () => {
    const model = vertex({ credentials: keyPath, project_id: 'reg-project', google_auth_options: tokenFetch() });
    await model.doGenerate(user('x'), callOptions());
    const token = emulator.current.requests({ vendor: 'vertex' })[0]?.headers.authorization?.replace('Bearer ', '') ?? '';
    emulator.current.reset();
    await vertex({ project_id: 'reg-project', access_token: token }).doGenerate(user('x'), callOptions());
    expect(emulator.current.requests({ vendor: 'oauth' })).toHaveLength(0);
    expect(emulator.current.requests({ vendor: 'vertex' })[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('a wrong access token is auth, and the token is not in the error', async () => {
    const error = (await failure(vertex({ project_id: 'reg-project', access_token: 'ya29.not-a-real-token-0000' }).doGenerate(user('x'), callOptions()))) as RegError;
    expect(error).toMatchObject({ code: 'auth', status: 401, retryable: false });
    expect(JSON.stringify(error.toJSON())).not.toContain('not-a-real-token');
  });

  it('query_params.key (express mode with a project) is sent as x-goog-api-key', async () => {
    await vertex({ project_id: 'reg-project', query_params: { key: TEST_CREDENTIALS.vertexApiKey } }).doGenerate(user('x'), callOptions());
    const [request] = emulator.current.requests({ vendor: 'vertex' });
    expect(request?.path).toBe(`${PATH}/gemini-vertex:generateContent`);
    expect(request?.headers['x-goog-api-key']).toBe(TEST_CREDENTIALS.vertexApiKey);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('query_params.key without a project uses the express-mode path', async () => {
    await vertex({ query_params: { key: TEST_CREDENTIALS.vertexApiKey } }).doGenerate(user('x'), callOptions());
    expect(emulator.current.requests({ vendor: 'vertex' })[0]?.path).toBe('/v1/publishers/google/models/gemini-vertex:generateContent');
  });

  it('a key the token endpoint does not trust is auth, naming the credentials option', async () => {
    const stranger = await createServiceAccountKey({ trust: new Map() });
    const error = (await failure(vertex({ project_id: 'reg-project', credentials: stranger.path, google_auth_options: tokenFetch() }).doGenerate(user('x'), callOptions()))) as RegError;
    expect(error).toMatchObject({ code: 'auth', status: 400, retryable: false });
    expect(error.message).toContain('invalid_grant');
    expect(emulator.current.requests({ vendor: 'vertex' })).toHaveLength(0);
  });

  it('no project and no key is MissingCredentialsError naming project_id and GOOGLE_CLOUD_PROJECT', () => {
    expect(() => vertex({})).toThrow(/options\.project_id.*GOOGLE_CLOUD_PROJECT/);
  });

  it('location defaults to GOOGLE_CLOUD_LOCATION, then us-central1', async () => {
    const key = { query_params: { key: TEST_CREDENTIALS.vertexApiKey }, project_id: 'reg-project', location: undefined };
    await vertex(key, { GOOGLE_CLOUD_LOCATION: 'europe-west4' }).doGenerate(user('x'), callOptions());
    await vertex(key).doGenerate(user('x'), callOptions());
    expect(emulator.current.requests({ vendor: 'vertex' }).map((request) => request.path.split('/')[5])).toEqual(['europe-west4', 'us-central1']);
  });

  it('through the registry: one model, one token for generate and stream', async () => {
    const registry = new ClientRegistry({ providers: [vertexAi], env: {} });
    registry.addLlmClient('Vertex', 'vertex-ai', {
      model: 'gemini-vertex',
      project_id: 'reg-project',
      base_url: emulator.current.baseUrls.vertex,
      credentials: keyPath,
      google_auth_options: tokenFetch(),
    });
    registry.setPrimary('Vertex');
    emulator.current.script('gemini-vertex', { reply: { text: 'from vertex', usage: { inputTokens: 3, outputTokens: 2 } } });
    const result = await registry.generate(user('hi'));
    expect(result).toMatchObject({ text: 'from vertex', client: 'Vertex', provider: 'vertex-ai', usage: { inputTokens: 3, outputTokens: 2 } });
    for await (const part of registry.stream(user('hi'))) void part;
    expect(emulator.current.requests({ vendor: 'oauth' })).toHaveLength(1);
  });
});
