// reg serve against the Portkey gateway, with the official openai SDK as the client of both and
// of the emulator directly, in one run. Every server is its own process, so each one's CPU and
// memory are its own; the emulator answers at once (latency 0).
//
//   pnpm bench                                  (from the repo root; builds first)
//   node bench/gateway.mjs --calls 300 --rounds 5
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
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
  },
});
const CALLS = Number(args.calls);
const ROUNDS = Number(args.rounds);
const MEMORY_STREAMS = Number(args.streams);
const require = createRequire(import.meta.url);
const MESSAGES = [{ role: 'user', content: PROMPT }];

const processes = [];
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
  const reg = await start('reg serve', [binOf('@reg/cli', 'dist/bin/reg.js'), 'serve', '--config', config, '--port', '0', '--insecure-local'], /listening on (http:\/\/\S+)/);
  const portkeyPort = 20_000 + Math.floor(Math.random() * 20_000);
  const portkey = await start('portkey', [binOf('@portkey-ai/gateway', 'build/start-server.js'), `--port=${portkeyPort}`, '--headless'], /running at/, `http://127.0.0.1:${portkeyPort}`);

  const targets = {
    direct: { client: new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: upstream, maxRetries: 0 }), model: 'bench-gpt' },
    reg: { client: new OpenAI({ apiKey: 'unused-insecure-local', baseURL: `${reg.url}/v1`, maxRetries: 0 }), model: 'Bench' },
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
        try {
          await batch(call[mode](target), concurrency, Math.max(100, concurrency * 4));
          working[name] = target;
        } catch (error) {
          // Reported, not hidden: a gateway that cannot serve this mode gets no numbers for it.
          console.error(`  ${name} fails ${mode} calls, left out of this row: ${error.message}`);
        }
      }
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, target] of Object.entries(working)) results[name].push(await batch(call[mode](target), concurrency, CALLS));
      }
      rows.push({ mode, concurrency, results });
      console.error(`  measured ${mode} x${concurrency}`);
    }
  }

  console.log(`\nreg serve and Portkey over the emulator, same run (${ROUNDS} alternating rounds of ${CALLS} calls; medians)`);
  console.log('goal: reg added p50 < 0.3 ms at 1; more requests/s than Portkey at 64; reg time to first token within 1 ms of direct\n');
  console.log(['call', 'conc', 'direct p50', 'reg p50', 'reg added', 'portkey p50', 'pk added', 'reg req/s', 'pk req/s', 'ttft dir', 'ttft reg', 'ttft pk'].map((h, i) => (i < 2 ? h.padEnd(7) : h.padStart(12))).join(''));
  for (const { mode, concurrency, results } of rows) {
    const m = (name, key) => (results[name].length ? median(results[name].map((round) => round[key])) : Number.NaN);
    const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : '-');
    const added = (name) => (Number.isFinite(m(name, 'p50')) ? `+${ms(m(name, 'p50') - m('direct', 'p50'))}` : '-');
    console.log(
      [
        mode.padEnd(7),
        String(concurrency).padEnd(7),
        ms(m('direct', 'p50')).padStart(12),
        ms(m('reg', 'p50')).padStart(12),
        added('reg').padStart(12),
        ms(m('portkey', 'p50')).padStart(12),
        added('portkey').padStart(12),
        (Number.isFinite(m('reg', 'rps')) ? m('reg', 'rps').toFixed(0) : '-').padStart(12),
        (Number.isFinite(m('portkey', 'rps')) ? m('portkey', 'rps').toFixed(0) : '-').padStart(12),
        ms(m('direct', 'ttft')).padStart(12),
        ms(m('reg', 'ttft')).padStart(12),
        ms(m('portkey', 'ttft')).padStart(12),
      ].join(''),
    );
  }

  // Memory: many slow streams open at once through reg serve; its RSS before, at the peak, after.
  const slow = { client: new OpenAI({ apiKey: 'unused-insecure-local', baseURL: `${reg.url}/v1`, maxRetries: 0, timeout: 120_000 }), model: 'Slow' };
  slowEmulator.script('bench-slow', {
    reply: { text: 'x'.repeat(80) },
    chunkSize: 8,
    sequence: Array.from({ length: MEMORY_STREAMS }, () => ({ kind: 'drip', intervalMs: 200 })),
  });
  const before = await rssMb(reg.child.pid);
  let peak = before;
  const sampler = setInterval(() => void rssMb(reg.child.pid).then((value) => (peak = Math.max(peak, value))), 100);
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: MEMORY_STREAMS }, () => call.stream(slow)()));
  clearInterval(sampler);
  const after = await rssMb(reg.child.pid);
  console.log(
    `\n${MEMORY_STREAMS} concurrent streams through reg serve (each ~2 s long): RSS ${before.toFixed(0)} MB before, ` +
      `${peak.toFixed(0)} MB at the peak, ${after.toFixed(0)} MB after (${((performance.now() - startedAt) / 1000).toFixed(1)} s)`,
  );
} finally {
  for (const child of processes) child.kill();
  await slowEmulator.close();
}

async function batch(fn, concurrency, count) {
  const latencies = [];
  const firstTokens = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const callStarted = performance.now();
        const firstToken = await fn();
        latencies.push(performance.now() - callStarted);
        if (firstToken !== undefined) firstTokens.push(firstToken);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { p50: percentile(latencies, 0.5), rps: count / seconds, ttft: firstTokens.length ? percentile(firstTokens, 0.5) : Number.NaN };
}

function median(values) {
  return percentile(values.filter((value) => Number.isFinite(value)), 0.5);
}

function binOf(packageName, relative) {
  return require.resolve(`${packageName}/package.json`).replace(/package\.json$/, relative);
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
