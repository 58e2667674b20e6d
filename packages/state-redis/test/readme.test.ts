import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startEmulator, TEST_CREDENTIALS } from '@reg/testkit';
import { Redis } from 'ioredis';
import { afterEach, expect, it, vi } from 'vitest';
import { startRedisServer } from '../src/testing/redis-server.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

it("runs the README's example twice, as two processes would: the second call goes to the next member", async () => {
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const server = await startRedisServer();
  const emulator = await startEmulator();
  emulator.script('gpt-4o-mini', { reply: { text: 'Hello from Mini' } });
  emulator.script('gpt-4.1-nano', { reply: { text: 'Hello from Nano' } });
  vi.stubEnv('REDIS_URL', server.url);
  vi.stubEnv('OPENAI_API_KEY', TEST_CREDENTIALS.openai);
  vi.stubEnv('OPENAI_BASE_URL', emulator.baseUrls.openai);
  const logged: unknown[][] = [];
  const warned: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args));
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warned.push(args));

  // The example imports the published name; here it runs against this package's source.
  const source = example!.replace("'@reg/state-redis'", JSON.stringify(pathToFileURL(join(packageDir, 'src/index.ts')).href));
  const dir = await mkdtemp(join(packageDir, 'test', '.readme-'));
  const redis = new Redis(server.url);
  try {
    // Two copies, each with its own store and connection: the cursor they share lives in Redis.
    for (const name of ['first.ts', 'second.ts']) {
      await writeFile(join(dir, name), source);
      await import(pathToFileURL(join(dir, name)).href);
    }
    expect(await redis.get('reg:counter:round-robin:Balanced')).toBe('2');
  } finally {
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
    await emulator.close();
    await server.dispose();
  }
  expect(logged).toEqual([
    ['Hello from Mini', 'Mini'],
    ['Hello from Nano', 'Nano'],
  ]);
  expect(warned).toEqual([]);
  expect(emulator.requests({ model: 'gpt-4o-mini' })).toHaveLength(1);
  expect(emulator.requests({ model: 'gpt-4.1-nano' })).toHaveLength(1);
}, 200_000);
