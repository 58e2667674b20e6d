import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startEmulator, TEST_CREDENTIALS } from '@reg/testkit';
import { afterEach, expect, it, vi } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

it("runs the README's example against the emulator", async () => {
  const emulator = await startEmulator();
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  emulator.script('gpt-4o-mini', { reply: { text: 'Hello from the gateway' } });
  vi.stubEnv('OPENAI_API_KEY', TEST_CREDENTIALS.openai);
  vi.stubEnv('OPENAI_BASE_URL', emulator.baseUrls.openai);
  const logged: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

  // The example imports the published name; here it runs against this package's source.
  const source = example!.replace("'@reg/gateway'", JSON.stringify(pathToFileURL(join(packageDir, 'src/index.ts')).href));
  const dir = await mkdtemp(join(packageDir, 'test', '.readme-'));
  try {
    await writeFile(join(dir, 'example.ts'), source);
    await import(pathToFileURL(join(dir, 'example.ts')).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await emulator.close();
  }
  expect(logged).toEqual([['Hello from the gateway', 'Mini']]);
  expect(emulator.requests({ model: 'gpt-4o-mini' })).toHaveLength(1);
});
