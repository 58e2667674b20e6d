import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { useEmulator } from '@reg/testkit/vitest';
import { afterEach, expect, it, vi } from 'vitest';
import * as provider from '../src/index.js';

const emulator = useEmulator();
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const block = (language: string) => [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);

afterEach(() => vi.unstubAllEnvs());

it('runs the README example against the emulator', async () => {
  // The example reads process.env, as an application would.
  vi.stubEnv('ANTHROPIC_API_KEY', TEST_CREDENTIALS.anthropic);
  vi.stubEnv('ANTHROPIC_BASE_URL', emulator.current.baseUrls.anthropic);
  emulator.current.script('claude-haiku-4-5-20251001', { sequence: [{ text: 'Bonjour !' }, { text: 'One, two, three.' }], chunkSize: 5 });
  const modules: Record<string, unknown> = { '@reg/core': core, '@reg/provider-anthropic': provider };
  const source = block('ts')[0]!.replace(/^import (\{[^}]+\}) from '([^']+)';$/gm, (_line, names: string, from: string) => `const ${names} = modules[${JSON.stringify(from)}];`);
  expect(source).not.toContain('import ');
  const printed: unknown[][] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...parameters: string[]) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction('modules', 'console', source)(modules, { log: (...values: unknown[]) => printed.push(values) });
  expect(printed[0]).toEqual(['Bonjour !', expect.objectContaining({ inputTokens: expect.any(Number), outputTokens: expect.any(Number) })]);
  expect(printed.slice(1).map((values) => values[0]).join('')).toBe('One, two, three.');
  expect(emulator.current.requests({ model: 'claude-haiku-4-5-20251001' })[0]?.body).toMatchObject({ max_tokens: 1024 });
});

it('loads the README config', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'reg-anthropic-readme-')), 'reg.config.yaml');
  writeFileSync(file, block('yaml')[0]!);
  const env = { ANTHROPIC_API_KEY: TEST_CREDENTIALS.anthropic, ANTHROPIC_BASE_URL: emulator.current.baseUrls.anthropic };
  const cr = await core.ClientRegistry.fromConfig(file, { providers: [provider.anthropic], env });
  const result = await cr.generate({ messages: [{ role: 'user', content: 'Hi' }] });
  expect(result).toMatchObject({ client: 'Claude', text: 'echo: Hi' });
  expect(emulator.current.requests({ model: 'claude-haiku-4-5-20251001' })[0]?.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
});
