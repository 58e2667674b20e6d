import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { useEmulator } from '@reg/testkit/vitest';
import { afterEach, expect, it, vi } from 'vitest';

const emulator = useEmulator();
const packageDir = fileURLToPath(new URL('..', import.meta.url));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

it("runs the README's example against the emulator, falling back from an overloaded Claude", async () => {
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  emulator.current.script('claude-haiku-4-5', { sequence: [{ kind: 'status', status: 529 }, { text: 'Un, deux, trois.' }], chunkSize: 4 });
  emulator.current.script('gpt-4o-mini', { reply: { text: 'Bonjour !' } });
  vi.stubEnv('ANTHROPIC_API_KEY', TEST_CREDENTIALS.anthropic);
  vi.stubEnv('ANTHROPIC_BASE_URL', emulator.current.baseUrls.anthropic);
  vi.stubEnv('OPENAI_API_KEY', TEST_CREDENTIALS.openai);
  vi.stubEnv('OPENAI_BASE_URL', emulator.current.baseUrls.openai);
  const logged: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args));

  // The example imports the published name; here it runs against this package's source.
  const source = example!.replace("'@reg/ai-sdk'", JSON.stringify(pathToFileURL(join(packageDir, 'src/index.ts')).href));
  const dir = await mkdtemp(join(packageDir, 'test', '.readme-'));
  try {
    await writeFile(join(dir, 'example.ts'), source);
    await import(pathToFileURL(join(dir, 'example.ts')).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  expect(logged[0]).toEqual(['Bonjour !', 'Mini']);
  expect(logged.slice(1).map((args) => args[0])).toEqual(['Un, ', 'deux', ', tr', 'ois.']);
  expect(emulator.current.requests({ model: 'claude-haiku-4-5' })).toHaveLength(2);
  expect(emulator.current.requests({ model: 'gpt-4o-mini' })).toHaveLength(1);
});
