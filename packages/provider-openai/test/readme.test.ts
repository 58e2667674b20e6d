import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { afterEach, expect, it, vi } from 'vitest';
import { useEmulator } from './helpers.js';

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

  // The example imports the published name; here it runs against this package's source.
  const source = example!.replace("'@reg/provider-openai'", JSON.stringify(pathToFileURL(join(packageDir, 'src/index.ts')).href));
  const dir = await mkdtemp(join(packageDir, 'test', '.readme-'));
  try {
    await writeFile(join(dir, 'example.ts'), source);
    await import(pathToFileURL(join(dir, 'example.ts')).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  expect(logged[0]?.[0]).toBe('Bonjour !');
  expect(logged[0]?.[1]).toMatchObject({ inputTokens: expect.any(Number), outputTokens: expect.any(Number) });
  expect(logged.slice(1).map((args) => args[0]).join('')).toBe('One, two, three.');
  const requests = emulator.current.requests({ model: 'gpt-4o-mini' });
  expect(requests.map((request) => request.body)).toMatchObject([{ temperature: 0.3 }, { temperature: 0.3, stream: true }]);
});
