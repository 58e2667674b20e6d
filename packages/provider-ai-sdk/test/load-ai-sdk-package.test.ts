import { readFileSync } from 'node:fs';
import { ClientRegistry, ConfigError, FIRST_PARTY_PROVIDERS, RegError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { aiSdk } from '../src/index.js';
import { clientOptions } from './emulated-client.js';

const emulator = useEmulator();
const hello = user('Hello');

function registry(clients: Record<string, Record<string, unknown>>): ClientRegistry {
  const cr = new ClientRegistry({ providers: [aiSdk], env: {} });
  for (const [name, options] of Object.entries(clients)) cr.addLlmClient(name, 'ai-sdk', options);
  return cr;
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
});
