import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../src/testing/redis-server.js';

const PROCESSES = 3;
const CALLS_PER_PROCESS = 1_000;
const MODELS = ['rr-model-0', 'rr-model-1', 'rr-model-2'];
const CHILD = fileURLToPath(new URL('./fixtures/round-robin-child.mjs', import.meta.url));

interface Done {
  type: 'done';
  counts: Record<string, number>;
  failures: string[];
  outages: string[];
}

let server: RedisServer;
let emulator: RunningEmulator;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // The children import the built packages, as an app would (the root test run builds first).
  const require = createRequire(import.meta.url);
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  const builds = [
    `${packageDir}dist/index.js`,
    require.resolve('@reg/core'),
    require.resolve('@reg/provider-openai'),
  ];
  const missing = builds.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`The multi-process test needs built packages (missing ${missing.join(', ')}): run pnpm turbo run build --filter=@reg/state-redis...`);
  }
  server = await startRedisServer();
  emulator = await startEmulator();
}, 200_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await emulator?.close();
  await server?.dispose();
});

function spawnChild(options: object): { child: ChildProcess; ready: Promise<void>; done: Promise<Done>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CHILD, JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ended = exited.then((code) => {
    throw new Error(`a child process exited (code ${code}) before it reported`);
  });
  const message = (type: string) =>
    Promise.race([
      new Promise<unknown>((resolve) => {
        const listen = (received: unknown) => {
          if ((received as { type?: string }).type !== type) return;
          child.off('message', listen);
          resolve(received);
        };
        child.on('message', listen);
      }),
      ended,
    ]);
  return { child, ready: message('ready').then(() => undefined), done: message('done') as Promise<Done>, exited };
}

it('three processes share one round-robin cursor through Redis: 3,000 calls, exactly 1,000 per leaf', async () => {
  const options = {
    redisUrl: server.url,
    prefix: 'multi:',
    // The counts are exact only if every answer comes from Redis; outages have their own test.
    commandTimeoutMs: 10_000,
    baseUrl: emulator.baseUrls.openai,
    apiKey: TEST_CREDENTIALS.openai,
    models: MODELS,
    calls: CALLS_PER_PROCESS,
    concurrency: 20,
  };
  const running = Array.from({ length: PROCESSES }, () => spawnChild(options));
  await Promise.all(running.map((child) => child.ready));
  // Start them together, so that their calls interleave on the shared cursor.
  for (const { child } of running) child.send('go');
  const reports = await Promise.all(running.map((child) => child.done));
  expect(await Promise.all(running.map((child) => child.exited))).toEqual([0, 0, 0]);

  for (const report of reports) {
    expect(report.failures).toEqual([]);
    expect(report.outages).toEqual([]);
    // Each process's share is uneven (the cursor is shared), but it made all its calls.
    expect(Object.values(report.counts).reduce((sum, count) => sum + count, 0)).toBe(CALLS_PER_PROCESS);
  }
  const answered = { Leaf0: 0, Leaf1: 0, Leaf2: 0 } as Record<string, number>;
  for (const report of reports) for (const [leaf, count] of Object.entries(report.counts)) answered[leaf] = (answered[leaf] ?? 0) + count;
  expect(answered).toEqual({ Leaf0: 1_000, Leaf1: 1_000, Leaf2: 1_000 });
  expect(MODELS.map((model) => emulator.requests({ model }).length)).toEqual([1_000, 1_000, 1_000]);

  const redis = new Redis(server.url);
  try {
    expect(await redis.get('multi:counter:round-robin:Balanced')).toBe('3000');
  } finally {
    redis.disconnect();
  }
}, 120_000);
