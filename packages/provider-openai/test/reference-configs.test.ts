import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientRegistry } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useEmulator, user } from '@reg/testkit/vitest';
import { azureOpenAI, openai, openaiGeneric, openrouter } from '../src/index.js';
import { routeAllHostsTo } from './route-all-hosts.js';

const hello = user('Say hello');

// Beamlens' configurations (../shared/reference), as YAML and JSON with the same keys. They name
// the vendors' real hosts; every host is routed to the emulator, or for the OpenAI-compatible
// servers (Ollama, "api.provider.com") to a stand-in that needs no key.
const emulator = useEmulator();
const providers = [openai, openaiGeneric, azureOpenAI, openrouter];
let standIn: Server;
let standInOrigin: string;
const standInRequests: Array<{ path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }> = [];
let route: ReturnType<typeof routeAllHostsTo>;

beforeAll(async () => {
  standIn = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      standInRequests.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'local answer' }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  standInOrigin = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  route = routeAllHostsTo((origin) => (/localhost:11434|api\.provider\.com/.test(origin) ? standInOrigin : new URL(emulator.current.baseUrls.openai).origin));
});
afterAll(async () => {
  route.restore();
  await new Promise<void>((resolve) => standIn.close(() => resolve()));
});

async function answer(config: string | object, env: Record<string, string>): Promise<string> {
  const registry = await ClientRegistry.fromConfig(typeof config === 'string' ? parse(config) : config, { providers, env });
  return (await registry.generate(hello)).text;
}

describe('Beamlens reference configurations', () => {
  it('OpenAI (YAML, key from OPENAI_API_KEY) reaches api.openai.com/v1', async () => {
    emulator.current.script('gpt-4o-mini', { reply: { text: 'openai answer' } });
    const yaml = `
primary: OpenAI
clients:
  - name: OpenAI
    provider: openai
    options: { model: gpt-4o-mini }
`;
    expect(await answer(yaml, { OPENAI_API_KEY: TEST_CREDENTIALS.openai })).toBe('openai answer');
    expect(route.origins.at(-1)).toBe('https://api.openai.com');
    expect(emulator.current.requests({ model: 'gpt-4o-mini' })[0]?.path).toBe('/v1/chat/completions');
  });

  it('OpenAI Azure (JSON, resource_name + deployment_id + api_version)', async () => {
    emulator.current.script('your-deployment-id', { reply: { text: 'azure answer' } });
    const json = {
      primary: 'AzureOpenAI',
      clients: [
        {
          name: 'AzureOpenAI',
          provider: 'azure-openai',
          options: { resource_name: 'your-resource-name', deployment_id: 'your-deployment-id', api_version: '2024-02-15-preview' },
        },
      ],
    };
    expect(await answer(json, { AZURE_OPENAI_API_KEY: TEST_CREDENTIALS.azure })).toBe('azure answer');
    expect(route.origins.at(-1)).toBe('https://your-resource-name.openai.azure.com');
    const [request] = emulator.current.requests({ vendor: 'azure' });
    expect(request).toMatchObject({ path: '/openai/deployments/your-deployment-id/chat/completions', query: { 'api-version': '2024-02-15-preview' } });
    expect(request?.headers['api-key']).toBe(TEST_CREDENTIALS.azure);
  });

  it('OpenRouter (YAML, key from OPENROUTER_API_KEY)', async () => {
    emulator.current.script('openai/gpt-4o-mini', { reply: { text: 'router answer' } });
    const yaml = `
primary: OpenRouter
clients:
  - name: OpenRouter
    provider: openrouter
    options:
      model: openai/gpt-4o-mini
`;
    expect(await answer(yaml, { OPENROUTER_API_KEY: TEST_CREDENTIALS.openrouter })).toBe('router answer');
    expect(route.origins.at(-1)).toBe('https://openrouter.ai');
  });

  it('Ollama (openai-generic, no key) sends no Authorization header', async () => {
    const yaml = `
primary: Ollama
clients:
  - name: Ollama
    provider: openai-generic
    options:
      base_url: http://localhost:11434/v1
      model: llama3.2
`;
    expect(await answer(yaml, {})).toBe('local answer');
    expect(route.origins.at(-1)).toBe('http://localhost:11434');
    const request = standInRequests.at(-1);
    expect(request).toMatchObject({ path: '/v1/chat/completions', body: { model: 'llama3.2' } });
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('OpenAI Generic (JSON) appends /chat/completions to base_url as given', async () => {
    const json = {
      primary: 'OpenAIGeneric',
      clients: [{ name: 'OpenAIGeneric', provider: 'openai-generic', options: { base_url: 'https://api.provider.com', model: 'o<provider-specified-format>' } }],
    };
    expect(await answer(json, {})).toBe('local answer');
    expect(standInRequests.at(-1)).toMatchObject({ path: '/chat/completions', body: { model: 'o<provider-specified-format>' } });
  });

  it("BAML's ClientRegistry example: addLlmClient with temperature and api_key, then setPrimary", async () => {
    emulator.current.script('gpt-5-mini', { reply: { text: 'amazing' } });
    const registry = new ClientRegistry({ providers, env: {} });
    registry.addLlmClient('MyAmazingClient', 'openai', { model: 'gpt-5-mini', temperature: 0.7, api_key: TEST_CREDENTIALS.openai });
    registry.setPrimary('MyAmazingClient');
    const result = await registry.generate(hello);
    expect(result).toMatchObject({ text: 'amazing', client: 'MyAmazingClient', provider: 'openai', model: 'gpt-5-mini' });
    expect(emulator.current.requests({ model: 'gpt-5-mini' })[0]?.body).toMatchObject({ temperature: 0.7 });
  });

  it('the openai/<model> shorthand uses OPENAI_API_KEY', async () => {
    emulator.current.script('gpt-4o', { reply: { text: 'shorthand' } });
    const registry = new ClientRegistry({ providers, env: { OPENAI_API_KEY: TEST_CREDENTIALS.openai } });
    expect((await registry.generate(hello, { client: 'openai/gpt-4o' })).text).toBe('shorthand');
  });
});
