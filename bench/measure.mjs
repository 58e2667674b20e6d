// What the benchmarks share: alternating rounds, per-round p50 and CPU per call, medians, and
// the emulator in a child process (so its CPU is never counted as the measured side's).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/** The prompt every benchmark sends: echoed back, it gives a stream of about a dozen parts. */
export const PROMPT = 'Benchmark prompt: please echo this sentence back so the stream has a dozen parts to parse.';

/** Runs `fn` `calls` times per round at `concurrency`; keeps each round's p50 and CPU per call. */
export function measure(fn, { concurrency, calls }) {
  const rounds = [];
  const batch = async (count) => {
    const latencies = [];
    let next = 0;
    const cpuBefore = process.cpuUsage();
    const worker = async () => {
      while (next < count) {
        next++;
        const started = performance.now();
        await fn();
        latencies.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const cpu = process.cpuUsage(cpuBefore);
    return { p50: percentile(latencies, 0.5), cpu: (cpu.user + cpu.system) / count };
  };
  return {
    warm: () => batch(Math.max(200, concurrency * 4)),
    round: async () => void rounds.push(await batch(calls)),
    rounds: () => rounds,
  };
}

export function median(values) {
  return percentile(values, 0.5);
}

export function percentile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Starts `reg-emulator` in its own process; resolves with its URL and a stop function. */
export async function startEmulatorProcess() {
  const bin = createRequire(import.meta.url).resolve('@reg/testkit/package.json').replace(/package\.json$/, 'dist/bin/reg-emulator.js');
  const child = spawn(process.execPath, [bin, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`reg-emulator exited with ${code}`)));
  });
  return { url, stop: () => child.kill() };
}
