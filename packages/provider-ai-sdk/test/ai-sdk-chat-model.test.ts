import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { ClientRegistry, ConfigError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { buildModel, callOptions, sentBody, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { aiSdk } from '../src/index.js';
import { clientOptions } from './emulated-client.js';

const emulator = useEmulator();
const hello = user('Hello');

function emulatedProvider() {
  return createOpenAICompatible({ name: 'emulated', baseURL: emulator.current.baseUrls.openai, apiKey: TEST_CREDENTIALS.openai, includeUsage: true });
}

describe('one language model per model', () => {
  it('serves concurrent first calls while the package loads, then reuses the model', async () => {
    const model = buildModel(aiSdk, clientOptions(emulator.current, 'reuse'));
    await Promise.all([model.doGenerate(hello, callOptions()), model.doGenerate(hello, callOptions())]);
    await model.doGenerate(hello, callOptions());
    expect(emulator.current.requests({ model: 'reuse' })).toHaveLength(3);
  });

  it("loads the package once, with reg's connect-timeout transport when the client sets a connect timeout", async () => {
    const model = buildModel(aiSdk, clientOptions(emulator.current, 'connect-timeout'), { http: { connectTimeoutMs: 5_000 } });
    await Promise.all([model.doGenerate(hello, callOptions()), model.doGenerate(hello, callOptions())]);
    await model.doGenerate(hello, callOptions());
    const requests = emulator.current.requests({ model: 'connect-timeout' });
    expect(requests).toHaveLength(3);
    // Node's fetch sends sec-fetch-mode; the toolkit's transport (on undici's request) does not.
    expect(requests.map((request) => request.headers['sec-fetch-mode'])).toEqual([undefined, undefined, undefined]);
    expect(new Set(requests.map((request) => request.connectionId)).size).toBeLessThanOrEqual(2);
  });

  it("keeps a fetch of the app's own in settings when the client sets a connect timeout", async () => {
    let fetched = 0;
    const fetch: typeof globalThis.fetch = (input, init) => (fetched++, globalThis.fetch(input, init));
    const model = buildModel(aiSdk, clientOptions(emulator.current, 'own-fetch', { settings: { fetch } }), { http: { connectTimeoutMs: 5_000 } });
    await model.doGenerate(hello, callOptions());
    expect(fetched).toBe(1);
    expect(emulator.current.requests({ model: 'own-fetch' })[0]?.headers['sec-fetch-mode']).toBe('cors');
  });
});

describe('a provider passed in code', () => {
  it('takes an AI SDK provider instance as options.provider', async () => {
    const cr = new ClientRegistry({ providers: [aiSdk], env: {} });
    cr.addLlmClient('Instance', 'ai-sdk', { provider: emulatedProvider(), model: 'instance-model', temperature: 0.1 });
    const result = await cr.generate(hello, { client: 'Instance' });
    expect(result).toMatchObject({ client: 'Instance', model: 'instance-model', text: 'echo: Hello' });
    expect(sentBody(emulator.current, 'instance-model')).toMatchObject({ model: 'instance-model', temperature: 0.1 });
  });

  it('takes a language model object as options.model', async () => {
    const cr = new ClientRegistry({ providers: [aiSdk], env: {} });
    cr.addLlmClient('Model', 'ai-sdk', { model: emulatedProvider().chatModel('object-model') });
    const parts = [];
    for await (const part of cr.stream(hello, { client: 'Model' })) parts.push(part);
    expect(parts[0]).toMatchObject({ type: 'start', client: 'Model', provider: 'ai-sdk', model: 'object-model' });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('takes a function from the model id to a language model', async () => {
    const provider = emulatedProvider();
    const asked: string[] = [];
    const cr = new ClientRegistry({ providers: [aiSdk], env: {} });
    cr.addLlmClient('Fn', 'ai-sdk', { provider: (id: string) => (asked.push(id), provider.chatModel(id)), model: 'fn-model' });
    await cr.generate(hello, { client: 'Fn' });
    await cr.generate(hello, { client: 'Fn' });
    expect(asked).toEqual(['fn-model']);
  });

  it('refuses something that is not a language model', async () => {
    const cr = new ClientRegistry({ providers: [aiSdk], env: {} });
    cr.addLlmClient('Bad', 'ai-sdk', { provider: () => ({ specificationVersion: 'v1' }), model: 'old' });
    const error = await cr.generate(hello, { client: 'Bad' }).catch((thrown: unknown) => thrown);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("options.model: did not give an AI SDK language model (specification v1) for 'old'");
  });
});
