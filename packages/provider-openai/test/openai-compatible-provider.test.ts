import { ClientRegistry, TimeoutError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { buildModel, callOptions, collect, failure, providerContext, sentBody, useEmulator, user } from '@reg/testkit/vitest';
import { defineOpenAICompatibleProvider } from '../src/index.js';
import { routeAllHostsTo } from './route-all-hosts.js';

const emulator = useEmulator();
const hello = user('Say hello');

// A third party's provider, with every quirk the factory takes as data.
const acme = defineOpenAICompatibleProvider<{ team?: string }>({
  name: 'acme',
  baseUrl: 'https://api.acme.example/v1',
  apiKeyEnvironmentVariable: 'ACME_API_KEY',
  maxTokensField: 'max_completion_tokens',
  streamUsage: false,
  readOptions: (reader) => ({ team: reader.string('team') }),
  headers: (own) => ({ 'X-Acme-Team': own.team }),
});

function model(name: string, options: Record<string, unknown> = {}) {
  return buildModel(acme, { model: name, base_url: emulator.current.baseUrls.openai, ...options }, { env: { ACME_API_KEY: TEST_CREDENTIALS.openai } });
}

describe('defineOpenAICompatibleProvider', () => {
  it('declares what a host needs to know', () => {
    expect(acme).toMatchObject({
      name: 'acme',
      credentials: 'explicit',
      guardsConnections: true,
      endpointOptions: ['base_url'],
      capabilities: { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: ['application/pdf', 'audio/wav', 'audio/x-wav', 'audio/mpeg', 'audio/mp3'] },
      requiresModel: true,
    });
  });

  it('takes the file types and limits of a server as data: what it declares goes as file parts, the rest fails before any request', async () => {
    const docs = defineOpenAICompatibleProvider({ name: 'docs', capabilities: { fileTypes: ['text/*'] }, files: { maxBytes: 16 } });
    expect(docs.capabilities?.fileTypes).toEqual(['text/*']);
    const docsModel = buildModel(docs, { model: 'docs-1', base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
    const text = (data: string, mediaType: string) => ({ messages: [{ role: 'user' as const, content: [{ type: 'file' as const, data, mediaType }] }] });
    // The emulator is OpenAI's, which refuses text files: the body the server received is what counts here.
    await docsModel.doGenerate(text('aGVsbG8=', 'text/markdown'), callOptions()).catch(() => undefined);
    expect((sentBody(emulator.current, 'docs-1').messages as Array<{ content: unknown }>)[0]?.content).toEqual([
      { type: 'file', file: { filename: 'part-0.md', file_data: 'data:text/markdown;base64,aGVsbG8=' } },
    ]);
    const big = await failure(docsModel.doGenerate(text(Buffer.alloc(17).toString('base64'), 'text/plain'), callOptions()));
    expect(big).toMatchObject({ code: 'invalid_request', message: "Client 'Test' (docs, model docs-1) cannot send the request: messages[0].content[0] is a file of 17 bytes; docs takes files of at most 16 bytes." });
    const pdf = await failure(docsModel.doGenerate(text('JVBERg==', 'application/pdf'), callOptions()));
    expect(pdf).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('is a file of type application/pdf; docs takes text/*') });
    expect(emulator.current.requests({ model: 'docs-1' })).toHaveLength(1);
  });

  it('sends the key from its variable, its own headers, its token-limit field, and providerOptions under its name', async () => {
    await model('acme-1', { team: 'search', headers: { 'x-extra': '1' } }).doGenerate(
      { ...hello, maxTokens: 7, providerOptions: { acme: { top_k: 5 }, openai: { ignored: true } } },
      callOptions(),
    );
    const [request] = emulator.current.requests({ model: 'acme-1' });
    expect(request?.headers).toMatchObject({ authorization: `Bearer ${TEST_CREDENTIALS.openai}`, 'x-acme-team': 'search', 'x-extra': '1' });
    const body = sentBody(emulator.current, 'acme-1');
    expect(body).toMatchObject({ max_completion_tokens: 7, top_k: 5 });
    expect(body).not.toHaveProperty('team');
    expect(body).not.toHaveProperty('ignored');
  });

  it('does not ask for stream usage when told not to', async () => {
    await collect(model('acme-2').doStream(hello, callOptions()));
    expect(sentBody(emulator.current, 'acme-2')).not.toHaveProperty('stream_options');
  });

  it('connects to its default base URL, and names its variable when no key is found', async () => {
    const route = routeAllHostsTo(() => new URL(emulator.current.baseUrls.openai).origin);
    try {
      await buildModel(acme, { model: 'acme-3' }, { env: { ACME_API_KEY: TEST_CREDENTIALS.openai } }).doGenerate(hello, callOptions());
    } finally {
      route.restore();
    }
    expect(route.origins).toEqual(['https://api.acme.example']);
    const registry = new ClientRegistry({ providers: [acme], env: {} });
    registry.addLlmClient('NoKey', 'acme', { model: 'acme-4' });
    const error = await failure(registry.generate(hello, { client: 'NoKey' }));
    expect((error as Error).message).toBe("Client 'NoKey' (acme) has no credentials: set options.api_key or set the ACME_API_KEY environment variable.");
  });

  it('without a key variable, needs a base_url and sends a key only when one is given', async () => {
    const local = defineOpenAICompatibleProvider({ name: 'local' });
    expect(() => local.parseOptions({ model: 'm' }, providerContext())).toThrow(/clients\[0\]\.options\.base_url: is required/);
    const keyed = buildModel(local, { model: 'local-1', base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
    expect((await keyed.doGenerate(hello, callOptions())).content.length).toBeGreaterThan(0);
    expect(sentBody(emulator.current, 'local-1')).toMatchObject({ model: 'local-1' });
  });

  it("applies the client's request_timeout_ms as the SDK's own timeout, fixed when the model is built", async () => {
    emulator.current.script('acme-slow', { sequence: [{ kind: 'hang' }] });
    const slow = buildModel(acme, { model: 'acme-slow', base_url: emulator.current.baseUrls.openai }, { env: { ACME_API_KEY: TEST_CREDENTIALS.openai }, http: { requestTimeoutMs: 200 } });
    const error = await failure(slow.doGenerate(hello, callOptions()));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', timeout: 'request_timeout_ms', retryable: true });
  });

  it("connects through the registry's guard with the client's connect timeout, one pool per model", async () => {
    const asked: string[] = [];
    const guarded = buildModel(
      acme,
      { model: 'acme-guarded', base_url: emulator.current.baseUrls.openai.replace('127.0.0.1', 'acme.test') },
      {
        env: { ACME_API_KEY: TEST_CREDENTIALS.openai },
        http: { connectTimeoutMs: 2_000 },
        connectionGuard: {
          resolve: async (hostname) => {
            asked.push(hostname);
            return { address: '127.0.0.1', family: 4 };
          },
        },
      },
    );
    await guarded.doGenerate(hello, callOptions());
    await guarded.doGenerate(hello, callOptions());
    expect(new Set(asked)).toEqual(new Set(['acme.test']));
    const connections = emulator.current.requests({ model: 'acme-guarded' }).map((request) => request.connectionId);
    expect(connections).toHaveLength(2);
    expect(new Set(connections).size).toBeLessThanOrEqual(2);
  });
});
