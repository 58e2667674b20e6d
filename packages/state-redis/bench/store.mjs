// What a shared store costs: ClientRegistry.generate through a round-robin over three leaves (an
// in-process provider that answers at once) with MemoryStateStore and with RedisStateStore, and
// each store operation alone, measured in one run against a redis-server this script starts.
// Read the ratios: Redis / memory, same run, alternating rounds.
//
//   pnpm bench                        (from the repo root; builds first)
//   node bench/store.mjs --calls 2000 --rounds 5
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClientRegistry, DEFAULT_BREAKER_SETTINGS, MemoryStateStore, defineProvider } from '@reg/core';
import { RedisStateStore } from '@reg/state-redis';
import { measure, median } from '../../../bench/measure.mjs';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
  },
});
const CALLS = Number(args.calls);
const ROUNDS = Number(args.rounds);

const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2 };
const instant = defineProvider({
  name: 'instant',
  parseOptions: (raw) => raw,
  createModel: (options) => ({
    provider: 'instant',
    model: options.model,
    doGenerate: async () => ({ content: [{ type: 'text', text: 'ok' }], finishReason: 'stop', usage }),
    async *doStream() {
      yield { type: 'finish', finishReason: 'stop', usage };
    },
  }),
});
const request = { messages: [{ role: 'user', content: 'hi' }] };

function registryOn(store) {
  const registry = new ClientRegistry({ providers: [instant], store });
  for (const name of ['A', 'B', 'C']) registry.addLlmClient(name, 'instant', { model: name.toLowerCase() });
  registry.addLlmClient('RR', 'round-robin', { strategy: ['A', 'B', 'C'] });
  return registry;
}

/** The store operations one call makes, each alone; keys are spread so buckets do not run dry. */
function operations(store) {
  const settings = DEFAULT_BREAKER_SETTINGS;
  let turn = 0;
  return {
    increment: () => store.increment('round-robin:bench'),
    take: () => store.take(`retry-budget:${turn++ % 64}`, 1, 500),
    give: () => store.give('retry-budget:bench', 1, 500),
    admit: () => store.admit('breaker:bench', ['cooldown:bench'], Date.now(), settings),
    record: () => store.record('breaker:bench', 'success', false, Date.now(), settings),
    coolDown: () => store.coolDown('cooldown:bench-other', Date.now() + 1),
  };
}

const redis = await startRedisServer();
const memoryStore = new MemoryStateStore();
// A bench machine may be loaded: a generous timeout keeps every answer a Redis one.
const redisStore = new RedisStateStore({ url: redis.url, prefix: 'bench:', commandTimeoutMs: 5_000 });
let outages = 0;
redisStore.on('unavailable', (event) => {
  outages++;
  console.error(`  ${event.message}`);
});
try {
  const rows = [];
  const compare = async (label, memoryCall, redisCall, concurrency) => {
    const memory = measure(memoryCall, { concurrency, calls: CALLS });
    const shared = measure(redisCall, { concurrency, calls: CALLS });
    await memory.warm();
    await shared.warm();
    for (let round = 0; round < ROUNDS; round++) {
      await memory.round();
      await shared.round();
    }
    const summary = (runner) => ({ p50: median(runner.rounds().map((r) => r.p50)), cpu: median(runner.rounds().map((r) => r.cpu)) });
    rows.push({ label, concurrency, memory: summary(memory), redis: summary(shared) });
    console.error(`  measured ${label} x${concurrency}`);
  };

  const memoryRegistry = registryOn(memoryStore);
  const redisRegistry = registryOn(redisStore);
  for (const concurrency of [1, 32]) {
    await compare(
      'generate (round-robin of 3)',
      () => memoryRegistry.generate(request, { client: 'RR' }),
      () => redisRegistry.generate(request, { client: 'RR' }),
      concurrency,
    );
  }
  const memoryOperations = operations(memoryStore);
  const redisOperations = operations(redisStore);
  for (const name of Object.keys(memoryOperations)) {
    await compare(`store.${name}`, async () => memoryOperations[name](), redisOperations[name], 1);
  }

  console.log(`\nStateStore cost, same run (${ROUNDS} alternating rounds of ${CALLS} calls; medians of per-round p50 and CPU per call)`);
  console.log('redis-server on 127.0.0.1 (loopback round trip included); the registry calls an in-process provider that answers at once\n');
  const header = ['what', 'conc', 'memory p50', 'redis p50', 'redis/memory', 'memory CPU', 'redis CPU', 'CPU ratio'];
  console.log(header.map((h, index) => (index === 0 ? h.padEnd(30) : index === 1 ? h.padEnd(6) : h.padStart(13))).join(''));
  const us = (ms) => `${(ms * 1000).toFixed(1)} us`;
  for (const { label, concurrency, memory, redis: shared } of rows) {
    console.log(
      [
        label.padEnd(30),
        String(concurrency).padEnd(6),
        us(memory.p50).padStart(13),
        us(shared.p50).padStart(13),
        `x${(shared.p50 / memory.p50).toFixed(1)}`.padStart(13),
        `${memory.cpu.toFixed(1)} us`.padStart(13),
        `${shared.cpu.toFixed(1)} us`.padStart(13),
        `x${(shared.cpu / memory.cpu).toFixed(1)}`.padStart(13),
      ].join(''),
    );
  }
  if (outages > 0) console.log(`\nRedis was unavailable ${outages} time(s): some Redis numbers include local answers.`);
} finally {
  await redisStore.close();
  await redis.stop();
}

/** Like the tests' helper: redis-server on a free port, no persistence, a temp dir; waits for PING. */
async function startRedisServer() {
  const dir = await mkdtemp(join(tmpdir(), 'reg-redis-bench-'));
  const port = await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = new Promise((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`cannot start redis-server (${error.message}); install it: apt-get install -y redis-server (Debian/Ubuntu), brew install redis (macOS)`)),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before answering PING`)));
  });
  const answered = (async () => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (await pings(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`redis-server on port ${port} did not answer PING within 15 s`);
  })();
  try {
    await Promise.race([answered, failed]);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  failed.catch(() => undefined);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function pings(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (answered) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
