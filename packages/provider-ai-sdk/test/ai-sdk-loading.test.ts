import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { readFileSync } from 'node:fs';
import { ClientRegistry, ConfigError, FIRST_PARTY_PROVIDERS, RegError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { aiSdk } from '../src/index.js';
import { call, clientOptions, context, registry, sentBody, useEmulator } from './helpers.js';

const emulator = useEmulator();
const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] };

function emulatedProvider() {
  return createOpenAICompatible({ name: 'emulated', baseURL: emulator.current.baseUrls.openai, apiKey: TEST_CREDENTIALS.openai, includeUsage: true });
}

describe('loading an AI SDK provider package', () => {
  it("finds the package's one create* factory without options.factory", async () => {
    const cr = await ClientRegistry.fromConfig(
      { primary: 'Compat', clients: [{ name: 'Compat', provider: 'ai-sdk', options: clientOptions(emulator.current, 'auto-factory') }] },
      { providers: [aiSdk], env: {} },
    );
    const result = await cr.generate(hello);
    expect(result).toMatchObject({ client: 'Compat', provider: 'ai-sdk', model: 'auto-factory', text: 'echo: Hello' });
    expect(emulator.current.requests({ model: 'auto-factory' })[0]?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.openai}`);
  });

  it('is the package core loads for the provider name ai-sdk', () => {
    // Loading by name itself needs this package installed in an app (the monorepo root has none of them).
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string };
    expect(FIRST_PARTY_PROVIDERS['ai-sdk']).toBe(manifest.name);
    expect(aiSdk.name).toBe('ai-sdk');
  });

  it('fails with the option path and the install command when the package is missing', async () => {
    const cr = registry({ Missing: { package: '@ai-sdk/not-installed-here', model: 'm' } });
    const error = await cr.generate(hello, { client: 'Missing' }).catch((thrown: unknown) => thrown);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([
      {
        path: "addLlmClient('Missing').options.package",
        message: expect.stringContaining('pnpm add @ai-sdk/not-installed-here'),
      },
    ]);
    expect((error as RegError).retryable).toBe(false);
  });

  it('names a factory the package does not export', async () => {
    const cr = registry({ Wrong: clientOptions(emulator.current, 'wrong-factory', { factory: 'createMistral' }) });
    const error = await cr.generate(hello, { client: 'Wrong' }).catch((thrown: unknown) => thrown);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues[0]).toEqual({
      path: "addLlmClient('Wrong').options.factory",
      message: "'@ai-sdk/openai-compatible' has no function export 'createMistral' (its create* exports: createOpenAICompatible)",
    });
    expect(emulator.current.requests()).toHaveLength(0);
  });

  it('serves concurrent first calls while the package loads, then reuses the model', async () => {
    const model = aiSdk.createModel(aiSdk.parseOptions(clientOptions(emulator.current, 'reuse'), context), context);
    await Promise.all([model.doGenerate(hello, call()), model.doGenerate(hello, call())]);
    await model.doGenerate(hello, call());
    expect(emulator.current.requests({ model: 'reuse' })).toHaveLength(3);
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
