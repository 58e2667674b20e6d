import { ConfigError } from '@reg/core';
import { providerContext } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { googleAi, vertexAi } from '../src/index.js';

function configError(parse: () => unknown): ConfigError {
  try {
    parse();
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('option validation', () => {
  it.each([
    [{ model: 'm', temperature: 'hot' }, 'clients[0].options.temperature'],
    [{ model: 'm', max_tokens: 1.5 }, 'clients[0].options.max_tokens'],
    [{ model: 'm', base_url: 'not a url' }, 'clients[0].options.base_url'],
    [{ model: 'm', generationConfig: [] }, 'clients[0].options.generationConfig'],
    [{ model: 'm', safety_settings: {} }, 'clients[0].options.safety_settings'],
    [{ model: 'm', stop_sequences: [1] }, 'clients[0].options.stop_sequences'],
    [{ model: 'm', headers: { a: {} } }, 'clients[0].options.headers.a'],
  ])('%o names %s', (raw, path) => {
    expect(() => googleAi.parseOptions(raw, providerContext())).toThrow(path);
  });

  it('names the client and every problem at once', () => {
    const error = configError(() => googleAi.parseOptions({ model: 'm', temperature: 5, top_k: 0 }, providerContext()));
    expect(error.issues.map((issue) => issue.path)).toEqual(['clients[0].options.temperature', 'clients[0].options.top_k']);
    expect(error.message).toContain('Test');
  });

  it('vertex-ai: a credentials value that is neither a path nor key JSON, or JSON that does not parse, is refused without echoing it', () => {
    const wrongType = configError(() => vertexAi.parseOptions({ model: 'm', credentials: 42 }, providerContext()));
    expect(wrongType.issues).toEqual([{ path: 'clients[0].options.credentials', message: 'must be the path of a service-account key file, or the key JSON (text or object)' }]);
    const broken = configError(() => vertexAi.parseOptions({ model: 'm', credentials_content: '{"private_key": "SECRET-KEY-TEXT",' }, providerContext()));
    expect(broken.issues.map((issue) => issue.path)).toEqual(['clients[0].options.credentials_content']);
    expect(broken.message).not.toContain('SECRET-KEY-TEXT');
  });

  it('vertex-ai: google_auth_options must be an object', () => {
    expect(() => vertexAi.parseOptions({ model: 'm', google_auth_options: 'yes' }, providerContext())).toThrow('clients[0].options.google_auth_options');
  });

  it('typed options are camelCase: BAML base URLs give the version, query_params.key is the Vertex API key, the rest passes through', () => {
    const options = vertexAi.parseOptions(
      {
        model: 'gemini-2.5-pro',
        base_url: 'https://europe-west4-aiplatform.googleapis.com/v1beta1/',
        project_id: 'p',
        query_params: { key: 'vertex-key', trace: 'on' },
        generation_config: { candidate_count: 1 },
        thinking_config: { thinkingBudget: 0 },
      },
      providerContext(),
    );
    expect(options).toMatchObject({
      model: 'gemini-2.5-pro',
      baseUrl: 'https://europe-west4-aiplatform.googleapis.com',
      apiVersion: 'v1beta1',
      projectId: 'p',
      apiKey: 'vertex-key',
      queryParams: { trace: 'on' },
      generationConfig: { candidateCount: 1 },
      passThrough: { thinking_config: { thinkingBudget: 0 } },
    });
  });
});
