import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { afterEach, expect, it, vi } from 'vitest';
import { buildModel, callOptions, sentBody, useEmulator, user } from '@reg/testkit/vitest';

const emulator = useEmulator();
const packageDir = fileURLToPath(new URL('..', import.meta.url));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

it("runs the README's example against the emulator", async () => {
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  emulator.current.script('gpt-4o-mini', { sequence: [{ text: 'Bonjour !' }, { text: 'One, two, three.' }] });
  vi.stubEnv('OPENAI_API_KEY', TEST_CREDENTIALS.openai);
  vi.stubEnv('OPENAI_BASE_URL', emulator.current.baseUrls.openai);
  const logged: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args));

  await runExample(example!);

  expect(logged[0]?.[0]).toBe('Bonjour !');
  expect(logged[0]?.[1]).toMatchObject({ inputTokens: expect.any(Number), outputTokens: expect.any(Number) });
  expect(logged.slice(1).map((args) => args[0]).join('')).toBe('One, two, three.');
  const requests = emulator.current.requests({ model: 'gpt-4o-mini' });
  expect(requests.map((request) => request.body)).toMatchObject([{ temperature: 0.3 }, { temperature: 0.3, stream: true }]);
});

it("defines the README's own OpenAI-compatible provider, which answers", async () => {
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Your own OpenAI-compatible provider'));
  const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(example).toContain('defineOpenAICompatibleProvider');
  const { together } = (await runExample(example!)) as { together: Parameters<typeof buildModel>[0] };
  expect(together).toMatchObject({ name: 'together', credentials: 'explicit', guardsConnections: true });
  const model = buildModel(together, { model: 'readme-together', base_url: emulator.current.baseUrls.openai }, { env: { TOGETHER_API_KEY: TEST_CREDENTIALS.openai } });
  await model.doGenerate({ ...user('Hi'), maxTokens: 5 }, callOptions());
  expect(sentBody(emulator.current, 'readme-together')).toMatchObject({ max_tokens: 5 });
});

/** Imports a README example, with the published name pointing at this package's source. */
async function runExample(example: string): Promise<Record<string, unknown>> {
  const source = example.replace("'@reg/provider-openai'", JSON.stringify(pathToFileURL(join(packageDir, 'src/index.ts')).href));
  const dir = await mkdtemp(join(packageDir, 'test', '.readme-'));
  try {
    await writeFile(join(dir, 'example.ts'), source);
    return (await import(pathToFileURL(join(dir, 'example.ts')).href)) as Record<string, unknown>;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
