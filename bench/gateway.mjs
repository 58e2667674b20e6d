// reg serve against the Portkey gateway, with the official openai SDK as the client of both and
// of the emulator directly, in one run. Every server is its own process, so each one's CPU and
// memory are its own; the emulator answers at once (latency 0). A floor proxy (this file, run
// with --floor-proxy) shows the least any Node gateway adds on this machine: node:http in and
// out with keep-alive, the body parsed to read the model, the answer relayed as it comes.
//
//   pnpm bench                                  (from the repo root; builds first)
//   node bench/gateway.mjs --calls 300 --rounds 5
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { startEmulator, TEST_CREDENTIALS, vendorBaseUrls } from '@reg/testkit';
import { percentile, PROMPT } from './measure.mjs';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '5' },
    streams: { type: 'string', default: '1000' },
    'floor-proxy': { type: 'string' },
  },
});
const CALLS = Number(args.calls);
const ROUNDS = Number(args.rounds);
const MEMORY_STREAMS = Number(args.streams);
const require = createRequire(import.meta.url);
const MESSAGES = [{ role: 'user', content: PROMPT }];
const processes = [];

if (args['floor-proxy'] !== undefined) serveFloor(args['floor-proxy']);
else await runBenchmark();

async function runBenchmark() {
  // The slow streams of the memory check come from an emulator in this process, where they are
  // scripted; its CPU does not matter there. Everything timed uses the emulator process.
  const slowEmulator = await startEmulator();
  try {
    const emulator = await start('emulator', [binOf('@reg/testkit', 'dist/bin/reg-emulator.js'), '--port', '0'], /listening on (http:\/\/\S+)/);
    const upstream = vendorBaseUrls(emulator.url).openai;
    const configDir = await mkdtemp(join(tmpdir(), 'reg-bench-'));
    const config = join(configDir, 'reg.config.yaml');
    await writeFile(
      config,
      [
        'clients:',
        '  - name: Bench',
        '    provider: openai',
        `    options: { model: bench-gpt, base_url: "${upstream}", api_key: "${TEST_CREDENTIALS.openai}" }`,
        '  - name: Slow',
        '    provider: openai',
        `    options: { model: bench-slow, base_url: "${slowEmulator.baseUrls.openai}", api_key: "${TEST_CREDENTIALS.openai}" }`,
        'primary: Bench',
        '',
      ].join('\n'),
    );
    const heapReport = new URL('./heap-report.mjs', import.meta.url).pathname;
    const reg = await start('reg serve', ['--expose-gc', '--import', heapReport, binOf('@reg/cli', 'dist/bin/reg.js'), 'serve', '--config', config, '--port', '0', '--insecure-local'], /listening on (http:\/\/\S+)/);
    const floor = await start('floor proxy', [process.argv[1], '--floor-proxy', upstream], /listening on (http:\/\/\S+)/);
    const portkeyPort = 20_000 + Math.floor(Math.random() * 20_000);
    const portkey = await start('portkey', [binOf('@portkey-ai/gateway', 'build/start-server.js'), `--port=${portkeyPort}`, '--headless'], /running at/, `http://127.0.0.1:${portkeyPort}`);

    const targets = {
      direct: { client: new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: upstream, maxRetries: 0 }), model: 'bench-gpt' },
      reg: { client: new OpenAI({ apiKey: 'unused-insecure-local', baseURL: `${reg.url}/v1`, maxRetries: 0 }), model: 'Bench', server: reg.child.pid },
      floor: { client: new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: floor.url, maxRetries: 0 }), model: 'bench-gpt', server: floor.child.pid },
      portkey: {
        client: new OpenAI({
          apiKey: TEST_CREDENTIALS.openai,
          baseURL: `${portkey.url}/v1`,
          maxRetries: 0,
          defaultHeaders: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstream },
        }),
        model: 'bench-gpt',
      },
    };
    const call = {
      json: (target) => async () => {
        await target.client.chat.completions.create({ model: target.model, messages: MESSAGES });
        return undefined;
      },
      stream: (target) => async () => {
        const started = performance.now();
        let firstToken;
        const stream = await target.client.chat.completions.create({ model: target.model, messages: MESSAGES, stream: true, stream_options: { include_usage: true } });
        for await (const chunk of stream) {
          if (firstToken === undefined && chunk.choices[0]?.delta?.content) firstToken = performance.now() - started;
        }
        return firstToken;
      },
    };

    const rows = [];
    for (const mode of ['json', 'stream']) {
      for (const concurrency of [1, 64]) {
        const results = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
        const working = {};
        for (const [name, target] of Object.entries(targets)) {
          const warm = await batch(call[mode](target), concurrency, Math.max(100, concurrency * 4));
          // Reported, not hidden: a gateway that cannot serve this mode gets no numbers for it.
          if (warm.failed > 0) console.error(`  ${name} fails ${mode} calls, left out of this row: ${warm.error.message}`);
          else working[name] = target;
        }
        for (let round = 0; round < ROUNDS; round++) {
          for (const [name, target] of Object.entries(working)) {
            const cpuBefore = target.server ? await cpuMs(target.server) : Number.NaN;
            const result = await batch(call[mode](target), concurrency, CALLS);
            // The server process's own CPU per call (user + system), which the machine's noise moves less than latency.
            if (target.server) result.cpu = ((await cpuMs(target.server)) - cpuBefore) / CALLS;
            results[name].push(result);
          }
        }
        rows.push({ mode, concurrency, results });
        console.error(`  measured ${mode} x${concurrency}`);
      }
    }

    console.log(`\nreg serve and Portkey over the emulator, same run (${ROUNDS} alternating rounds of ${CALLS} calls; medians)`);
    console.log('goal: reg added p50 < 0.3 ms at 1; more requests/s than Portkey at 64; reg time to first token within 1 ms of direct');
    console.log('floor: what the leanest Node proxy adds on this machine in this run (no conversion, no SDK), for scale; cpu: the server process\'s CPU per call\n');
    const columns = ['call', 'conc', 'direct p50', 'reg p50', 'reg added', 'floor added', 'portkey p50', 'pk added', 'reg req/s', 'pk req/s', 'ttft dir', 'ttft reg', 'ttft floor', 'ttft pk', 'reg cpu', 'floor cpu'];
    console.log(columns.map((h, i) => (i < 2 ? h.padEnd(7) : h.padStart(12))).join(''));
    const failures = [];
    for (const { mode, concurrency, results } of rows) {
      const m = (name, key) => (results[name].length ? median(results[name].map((round) => round[key])) : Number.NaN);
      const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : '-');
      const added = (name) => (Number.isFinite(m(name, 'p50')) ? `${m(name, 'p50') >= m('direct', 'p50') ? '+' : ''}${ms(m(name, 'p50') - m('direct', 'p50'))}` : '-');
      for (const [name, rounds] of Object.entries(results)) {
        const failed = rounds.reduce((sum, round) => sum + round.failed, 0);
        if (failed > 0) failures.push(`${name} ${mode} x${concurrency}: ${failed} (${rounds.find((round) => round.error)?.error.message})`);
      }
      console.log(
        [
          mode.padEnd(7),
          String(concurrency).padEnd(7),
          ms(m('direct', 'p50')).padStart(12),
          ms(m('reg', 'p50')).padStart(12),
          added('reg').padStart(12),
          added('floor').padStart(12),
          ms(m('portkey', 'p50')).padStart(12),
          added('portkey').padStart(12),
          (Number.isFinite(m('reg', 'rps')) ? m('reg', 'rps').toFixed(0) : '-').padStart(12),
          (Number.isFinite(m('portkey', 'rps')) ? m('portkey', 'rps').toFixed(0) : '-').padStart(12),
          ms(m('direct', 'ttft')).padStart(12),
          ms(m('reg', 'ttft')).padStart(12),
          ms(m('floor', 'ttft')).padStart(12),
          ms(m('portkey', 'ttft')).padStart(12),
          ms(m('reg', 'cpu')).padStart(12),
          ms(m('floor', 'cpu')).padStart(12),
        ].join(''),
      );
    }

    if (failures.length > 0) console.log(`\nfailed calls, left out of the numbers above: ${failures.join('; ')}`);

    // Memory: many slow streams open at once through reg serve, in three waves, and the live heap
    // (after a forced collection) before and after each. Flat means the heap after the last wave is
    // where the first left it: the first wave leaves kept-alive upstream connections in the pool.
    const WAVES = 3;
    const slow = { client: new OpenAI({ apiKey: 'unused-insecure-local', baseURL: `${reg.url}/v1`, maxRetries: 0, timeout: 120_000 }), model: 'Slow' };
    slowEmulator.script('bench-slow', {
      reply: { text: 'x'.repeat(80) },
      chunkSize: 8,
      sequence: Array.from({ length: MEMORY_STREAMS * WAVES }, () => ({ kind: 'drip', intervalMs: 200 })),
    });
    const before = await heapOf(reg.child);
    const waves = [];
    for (let wave = 0; wave < WAVES; wave++) {
      let peak = 0;
      const sampler = setInterval(() => void rssMb(reg.child.pid).then((value) => (peak = Math.max(peak, value))), 100);
      const startedAt = performance.now();
      await Promise.all(Array.from({ length: MEMORY_STREAMS }, () => call.stream(slow)()));
      clearInterval(sampler);
      waves.push({ peak, seconds: (performance.now() - startedAt) / 1000, ...(await heapOf(reg.child)) });
    }
    const mb = (value) => `${value.toFixed(1)} MB`;
    console.log(`\n${MEMORY_STREAMS} concurrent streams through reg serve (each ~2 s long), ${WAVES} waves; live heap after a forced collection`);
    console.log(`  before:  heap ${mb(before.heapMb)}, external ${mb(before.externalMb)}, RSS ${mb(before.rssMb)}`);
    waves.forEach((wave, index) => console.log(`  wave ${index + 1}:  heap ${mb(wave.heapMb)}, external ${mb(wave.externalMb)}, RSS ${mb(wave.rssMb)} (peak RSS ${mb(wave.peak)}, ${wave.seconds.toFixed(1)} s)`));
    const growth = waves.at(-1).heapMb - waves[0].heapMb;
    console.log(`  heap after wave ${WAVES} vs after wave 1: ${growth >= 0 ? '+' : ''}${mb(growth)}`);
  } finally {
    for (const child of processes) child.kill();
    await slowEmulator.close();
  }
}

/**
 * The floor proxy: the least a Node gateway does for a chat call. node:http in, node:http out on
 * kept-alive connections, the body parsed (a gateway must read `model`) and the answer relayed as
 * it arrives, unconverted. No registry, no SDK, no metrics: what it adds is the machine's price
 * for one more process and hop, which no gateway in Node goes below.
 */
function serveFloor(upstream) {
  const agent = new Agent({ keepAlive: true });
  const target = new URL(`${upstream}/chat/completions`);
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const text = JSON.stringify({ ...body, model: 'bench-gpt' });
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), authorization: request.headers.authorization ?? '' };
      const outgoing = httpRequest(target, { method: 'POST', agent, headers }, (incoming) => {
        response.writeHead(incoming.statusCode ?? 502, { 'content-type': incoming.headers['content-type'] ?? 'application/json' });
        incoming.pipe(response);
      });
      outgoing.on('error', () => response.destroy());
      outgoing.end(text);
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(`floor proxy listening on http://127.0.0.1:${server.address().port}`));
}

/** Runs `count` calls at `concurrency`; a failed call is counted (and its first error kept), not timed. */
async function batch(fn, concurrency, count) {
  const latencies = [];
  const firstTokens = [];
  let failed = 0;
  let error;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const callStarted = performance.now();
        try {
          const firstToken = await fn();
          latencies.push(performance.now() - callStarted);
          if (firstToken !== undefined) firstTokens.push(firstToken);
        } catch (thrown) {
          failed++;
          error ??= thrown;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { p50: percentile(latencies, 0.5), rps: (count - failed) / seconds, ttft: firstTokens.length ? percentile(firstTokens, 0.5) : Number.NaN, failed, error };
}

function median(values) {
  return percentile(values.filter((value) => Number.isFinite(value)), 0.5);
}

function binOf(packageName, relative) {
  return require.resolve(`${packageName}/package.json`).replace(/package\.json$/, relative);
}

/** A process's CPU time so far (user + system), from /proc, in ms (clock ticks of 10 ms). */
async function cpuMs(pid) {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The live memory of a process started with heap-report.mjs: it collects garbage, then answers on stderr. */
function heapOf(child) {
  return new Promise((resolve) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = /heap-report (\{.*\})\n/.exec(output);
      if (!match) return;
      child.stderr.off('data', onData);
      resolve(JSON.parse(match[1]));
    };
    child.stderr.on('data', onData);
    child.kill('SIGUSR2');
  });
}

async function rssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Starts a server process and waits for its line; `url` is read from the line unless given. */
async function start(name, argv, ready, url) {
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
  processes.push(child);
  let output = '';
  const found = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = ready.exec(output);
      if (match) resolve(url ?? match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output.slice(-500)}`)));
  });
  return { child, url: found };
}
