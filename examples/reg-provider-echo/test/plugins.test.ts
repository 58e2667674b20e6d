import { ClientRegistry, ConfigError, NoSuchProviderError, RegError } from '@reg/core';
import { startEmulator, type RunningEmulator } from '@reg/testkit';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_TEST_KEY, echoBaseUrl, echoRoutes } from '../src/testing/index.js';
import { createAppDir, PACKAGE_ROOT, type AppDir } from './app-dir.js';

let emulator: RunningEmulator;
let app: AppDir;
let env: Record<string, string>;

const CONFIG = `
primary: Local
clients:
  - name: Local
    provider: echo
    options:
      model: local-llama
      base_url: \${ECHO_BASE_URL}
      api_key: \${ECHO_API_KEY}
      temperature: 0.2
plugins: [reg-provider-echo]
`;

beforeAll(async () => {
  emulator = await startEmulator({ routes: echoRoutes });
  app = await createAppDir();
  env = { ECHO_BASE_URL: echoBaseUrl(emulator.url), ECHO_API_KEY: ECHO_TEST_KEY };
});

afterAll(async () => {
  await app?.remove();
  await emulator?.close();
});

describe('loaded through plugins, as an app that installed the package', () => {
  it('finds `echo` through the config alone and answers through the server', async () => {
    const path = await app.write('reg.config.yaml', CONFIG);
    // No providers in code: the name comes from the config's plugins list.
    const registry = await ClientRegistry.fromConfig(path, { env });
    const result = await registry.generate({ messages: [{ role: 'user', content: 'Hello, plugin.' }] });
    expect(result.text).toBe('echo: Hello, plugin.');
    expect({ client: result.client, provider: result.provider, model: result.model }).toEqual({ client: 'Local', provider: 'echo', model: 'local-llama' });
    const [sent] = emulator.requests({ model: 'local-llama' });
    expect(sent?.path).toBe('/echo/v1/replies');
    expect(sent?.headers['x-echo-key']).toBe(ECHO_TEST_KEY);
    expect(sent?.body).toMatchObject({ model: 'local-llama', temperature: 0.2, stream: false });

    const texts: string[] = [];
    for await (const part of registry.stream({ messages: [{ role: 'user', content: 'Stream it.' }] })) {
      if (part.type === 'text-delta') texts.push(part.text);
    }
    expect(texts.join('')).toBe('echo: Stream it.');
  });

  it('loads the built package from the app node_modules, not the workspace source', async () => {
    expect(realpathSync(join(app.dir, 'node_modules', 'reg-provider-echo'))).toBe(realpathSync(PACKAGE_ROOT));
    const path = await app.write('reg.config.yaml', CONFIG);
    const registry = await ClientRegistry.fromConfig(path, { env });
    emulator.script('local-llama', { sequence: [{ kind: 'status', status: 500 }] });
    const error = await registry.generate({ messages: [{ role: 'user', content: 'Which copy?' }] }).catch((thrown: unknown) => thrown);
    expect(RegError.isInstance(error) && (error as RegError).code).toBe('server');
    // The error was made by the copy core imported: the package's `exports` entry, in dist.
    expect((error as Error).stack).toMatch(/reg-provider-echo\/dist\/map-echo-error\.js/);
  });

  it('works with plugins given in code, resolved from baseDir', async () => {
    const registry = new ClientRegistry({ plugins: ['reg-provider-echo'], baseDir: app.dir, env });
    registry.addLlmClient('Local', 'echo', { model: 'from-code', base_url: env.ECHO_BASE_URL, api_key: env.ECHO_API_KEY });
    const result = await registry.generate({ messages: [{ role: 'user', content: 'In code.' }] }, { client: 'Local' });
    expect(result.text).toBe('echo: In code.');
  });
});

describe('without the plugin', () => {
  it('a config that names echo without listing the plugin is refused, naming the known providers', async () => {
    const path = await app.write('unlisted/reg.config.yaml', CONFIG.replace('plugins: [reg-provider-echo]', ''));
    const error = await ClientRegistry.fromConfig(path, { env }).catch((thrown: unknown) => thrown);
    expect(ConfigError.isInstance(error)).toBe(true);
    const message = (error as ConfigError).message;
    expect(message).toContain("clients[0].provider: Unknown provider 'echo'");
    expect(message).toContain("list its package in the config's plugins");
    expect(message).toMatch(/Known providers: .*anthropic.*fallback.*openai/);
  });

  it('calling a client of an unknown provider throws NoSuchProviderError with the known names', async () => {
    const registry = new ClientRegistry({ env, baseDir: app.dir });
    registry.addLlmClient('Local', 'echo', { model: 'm', base_url: env.ECHO_BASE_URL });
    const error = await registry.generate({ messages: [{ role: 'user', content: 'Hi' }] }, { client: 'Local' }).catch((thrown: unknown) => thrown);
    expect(NoSuchProviderError.isInstance(error)).toBe(true);
    const known = (error as NoSuchProviderError).knownProviders;
    expect(known).toContain('fallback');
    expect(known).toContain('openai');
    expect(known).not.toContain('echo');
  });

  it('a plugin that is not installed is a config error at plugins[0]', async () => {
    const path = await app.write('missing/reg.config.yaml', CONFIG.replace('reg-provider-echo', 'reg-provider-not-installed'));
    const error = await ClientRegistry.fromConfig(path, { env }).catch((thrown: unknown) => thrown);
    expect(RegError.isInstance(error) && (error as RegError).code).toBe('config');
    expect((error as ConfigError).issues.map((issue) => issue.path)).toContain('plugins[0]');
  });
});
