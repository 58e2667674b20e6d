import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { afterEach, expect, it } from 'vitest';
import * as provider from '../src/index.js';
import { useEmulator } from './helpers.js';

const emulator = useEmulator();
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const block = (language: string) => [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);

const saved = { key: process.env.TOGETHER_API_KEY, url: process.env.TOGETHER_BASE_URL };
afterEach(() => {
  for (const [name, value] of [['TOGETHER_API_KEY', saved.key], ['TOGETHER_BASE_URL', saved.url]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

it('runs the README example against the emulator', async () => {
  // The example reads process.env, as an application would.
  process.env.TOGETHER_API_KEY = TEST_CREDENTIALS.openai;
  process.env.TOGETHER_BASE_URL = emulator.current.baseUrls.openai;
  const model = 'meta-llama/Llama-3.3-70B-Instruct-Turbo';
  emulator.current.script(model, { sequence: [{ text: 'Bonjour !' }, { text: 'One, two, three.' }], chunkSize: 5 });
  const modules: Record<string, unknown> = { '@reg/core': core, '@reg/provider-ai-sdk': provider };
  const source = block('ts')[0]!.replace(/^import (\{[^}]+\}) from '([^']+)';$/gm, (_line, names: string, from: string) => `const ${names} = modules[${JSON.stringify(from)}];`);
  expect(source).not.toContain('import ');
  const printed: unknown[][] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...parameters: string[]) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction('modules', 'console', source)(modules, { log: (...values: unknown[]) => printed.push(values) });
  expect(printed[0]).toEqual(['Bonjour !', expect.objectContaining({ inputTokens: expect.any(Number), outputTokens: expect.any(Number) })]);
  expect(printed.slice(1).map((values) => values[0]).join('')).toBe('One, two, three.');
  expect(emulator.current.requests({ model })[0]?.body).toMatchObject({ model, max_tokens: 512 });
});

it('loads the README config: the fallback moves on from a package that is not installed', async () => {
  const yaml = block('yaml')[0]!.replace('https://api.groq.com/openai/v1', emulator.current.baseUrls.openai);
  const file = join(mkdtempSync(join(tmpdir(), 'reg-ai-sdk-readme-')), 'reg.config.yaml');
  writeFileSync(file, yaml);
  const env = { MISTRAL_API_KEY: 'mistral-test-key-0000', GROQ_API_KEY: TEST_CREDENTIALS.openai };
  const cr = await core.ClientRegistry.fromConfig(file, { providers: [provider.aiSdk], env });
  const result = await cr.generate({ messages: [{ role: 'user', content: 'Hi' }] });
  // @ai-sdk/mistral is not installed in this repository, so Mistral fails as a config error and Groq answers.
  expect(result).toMatchObject({ client: 'Groq', text: 'echo: Hi' });
  expect(result.attempts.map(({ client, code }) => ({ client, code }))).toEqual([
    { client: 'Mistral', code: 'config' },
    { client: 'Groq', code: undefined },
  ]);
  expect(result.attempts[0]?.message).toContain('pnpm add @ai-sdk/mistral');
});

it('runs the README snippet that passes a provider instance and a model object', async () => {
  const compatible = await import('@ai-sdk/openai-compatible');
  const source = block('ts')[1]!
    .replace(/^import (\{[^}]+\}) from '([^']+)';$/gm, (_line, names: string, from: string) => `const ${names} = modules[${JSON.stringify(from)}];`)
    .replace("'https://api.groq.com/openai/v1'", JSON.stringify(emulator.current.baseUrls.openai))
    .replace('process.env.GROQ_API_KEY', JSON.stringify(TEST_CREDENTIALS.openai));
  const cr = new core.ClientRegistry({ providers: [provider.aiSdk], env: {} });
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...parameters: string[]) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction('modules', 'cr', source)({ '@ai-sdk/openai-compatible': compatible }, cr);
  for (const client of ['Groq', 'GroqModel']) {
    expect(await cr.generate({ messages: [{ role: 'user', content: 'Hi' }] }, { client })).toMatchObject({ client, text: 'echo: Hi' });
  }
  expect(emulator.current.requests({ model: 'llama-3.3-70b-versatile' })).toHaveLength(2);
});
