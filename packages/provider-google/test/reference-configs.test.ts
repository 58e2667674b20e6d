import { ClientRegistry } from '@reg/core';
import { TEST_CREDENTIALS, startEmulator, type RunningEmulator } from '@reg/testkit';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { googleAi, vertexAi } from '../src/index.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

// The Beamlens page's configurations, as YAML with the same keys. The base URL comes from the
// SDK's own environment variables (given through the registry's env), so the text stays as written.
const GOOGLE_AI = `
primary: GoogleAI
clients:
  - name: GoogleAI
    provider: google-ai
    options: { model: gemini-2.0-flash }
`;

const VERTEX = `
primary: GoogleVertexAI
clients:
  - name: GoogleVertexAI
    provider: vertex-ai
    options:
      model: gemini-2.5-pro
      location: us-central1
      project_id: my-project-id
      query_params:
        key: "\${VERTEX_API_KEY}"
`;

describe('reference configurations', () => {
  it('Google AI Gemini (gemini-2.0-flash) with GOOGLE_API_KEY', async () => {
    const env = { GOOGLE_API_KEY: TEST_CREDENTIALS.gemini, GOOGLE_GEMINI_BASE_URL: emulator.baseUrls.gemini };
    const registry = await ClientRegistry.fromConfig(parse(GOOGLE_AI) as object, { providers: [googleAi], env });
    emulator.script('gemini-2.0-flash', { reply: { text: 'Hi from Gemini' } });
    const result = await registry.generate({ messages: [{ role: 'user', content: 'Hello' }] });
    expect(result).toMatchObject({ text: 'Hi from Gemini', client: 'GoogleAI', provider: 'google-ai', model: 'gemini-2.0-flash' });
    const [request] = emulator.requests({ vendor: 'gemini' });
    expect(request?.path).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(request?.headers['x-goog-api-key']).toBe(TEST_CREDENTIALS.gemini);
  });

  it('Google Vertex AI (gemini-2.5-pro, us-central1, project_id, query_params.key), as JSON too', async () => {
    const env = { VERTEX_API_KEY: TEST_CREDENTIALS.vertexApiKey, GOOGLE_VERTEX_BASE_URL: emulator.baseUrls.vertex };
    for (const config of [parse(VERTEX) as object, JSON.parse(JSON.stringify(parse(VERTEX))) as object]) {
      const registry = await ClientRegistry.fromConfig(config, { providers: [vertexAi], env });
      const parts: string[] = [];
      for await (const part of registry.stream({ messages: [{ role: 'user', content: 'Hello' }] })) if (part.type === 'text-delta') parts.push(part.text);
      expect(parts.join('')).toBe('echo: Hello');
    }
    const requests = emulator.requests({ vendor: 'vertex' });
    expect(requests.map((request) => request.path)).toEqual(
      Array(2).fill('/v1/projects/my-project-id/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent'),
    );
    expect(requests[0]?.headers['x-goog-api-key']).toBe(TEST_CREDENTIALS.vertexApiKey);
  });
});
