import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClientRegistry, ConfigError } from '@reg/core';
import { user } from './scripted-provider.js';

/** An app folder with a third-party provider package installed, as a user would have it. */
function appWithPlugin(): string {
  const app = mkdtempSync(join(tmpdir(), 'reg-app-'));
  const coreDist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const pkg = join(app, 'node_modules', 'reg-provider-acme');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'reg-provider-acme', type: 'module', exports: { '.': { import: './dist/index.js' } } }));
  writeFileSync(join(pkg, 'dist', 'index.js'), `
    import { defineProvider } from ${JSON.stringify(coreDist)};
    export const acme = defineProvider({
      name: 'acme',
      parseOptions: (raw) => raw,
      createModel: (options) => ({
        provider: 'acme', model: options.model,
        async doGenerate() { return { content: [{ type: 'text', text: 'acme says hi' }], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }; },
        async *doStream() { yield { type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }; },
      }),
    });
  `);
  writeFileSync(join(app, 'reg.config.yaml'), 'plugins: [reg-provider-acme]\nprimary: Acme\nclients:\n  - { name: Acme, provider: acme, options: { model: rocket-1 } }\n');
  return app;
}

describe('plugins', () => {
  it("finds a provider through the config's plugins, resolved from the app's node_modules", async () => {
    const app = appWithPlugin();
    const registry = await ClientRegistry.fromConfig(join(app, 'reg.config.yaml'));
    const result = await registry.generate(user('hi'));
    expect(result).toMatchObject({ text: 'acme says hi', provider: 'acme', model: 'rocket-1' });
  });

  it('names a plugin that cannot be loaded', async () => {
    const app = mkdtempSync(join(tmpdir(), 'reg-app-'));
    const error = await ClientRegistry.fromConfig({ plugins: ['reg-provider-missing'], clients: [{ name: 'X', provider: 'missing', options: { model: 'm' } }] }, { baseDir: app }).catch((thrown: unknown) => thrown);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues[0]).toMatchObject({ path: 'plugins[0]', message: expect.stringContaining("cannot load 'reg-provider-missing'") });
  });
});
