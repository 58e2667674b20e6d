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
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...parameters: string[]) => (...values: unknown[]) => Promise<void>;

/** Runs a README snippet with its imports taken from `modules`, and `scope` as its free variables. */
async function run(snippet: string, modules: Record<string, unknown>, scope: Record<string, unknown>): Promise<void> {
  const source = snippet.replace(/^import (\{[^}]+\}) from '([^']+)';$/gm, (_line, names: string, from: string) => `const ${names} = modules[${JSON.stringify(from)}];`);
  expect(source).not.toContain('import ');
  await new AsyncFunction('modules', ...Object.keys(scope), source)(modules, ...Object.values(scope));
}

afterEach(() => vi.unstubAllEnvs());

it('runs the README example against the emulator', async () => {
  // The example reads process.env, as an application would.
  vi.stubEnv('TOGETHER_API_KEY', TEST_CREDENTIALS.openai);
  vi.stubEnv('TOGETHER_BASE_URL', emulator.current.baseUrls.openai);
  const model = 'meta-llama/Llama-3.3-70B-Instruct-Turbo';
  emulator.current.script(model, { sequence: [{ text: 'Bonjour !' }, { text: 'One, two, three.' }], chunkSize: 5 });
  const printed: unknown[][] = [];
  await run(block('ts')[0]!, { '@reg/core': core, '@reg/provider-ai-sdk': provider }, { console: { log: (...values: unknown[]) => printed.push(values) } });
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
  const snippet = block('ts')[1]!
    .replace("'https://api.groq.com/openai/v1'", JSON.stringify(emulator.current.baseUrls.openai))
    .replace('process.env.GROQ_API_KEY', JSON.stringify(TEST_CREDENTIALS.openai));
  const cr = new core.ClientRegistry({ providers: [provider.aiSdk], env: {} });
  await run(snippet, { '@ai-sdk/openai-compatible': compatible }, { cr });
  for (const client of ['Groq', 'GroqModel']) {
    expect(await cr.generate({ messages: [{ role: 'user', content: 'Hi' }] }, { client })).toMatchObject({ client, text: 'echo: Hi' });
  }
  expect(emulator.current.requests({ model: 'llama-3.3-70b-versatile' })).toHaveLength(2);
});
