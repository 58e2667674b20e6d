// `import('@reg/core')` in a fresh process against an empty one, median of several runs each.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

function median(script) {
  const samples = [];
  for (let run = 0; run < RUNS; run++) {
    const startedAt = performance.now();
    execFileSync(process.execPath, ['--input-type=module', '-e', script]);
    samples.push(performance.now() - startedAt);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(RUNS / 2)];
}

const empty = median('');
const withCore = median(`await import(${JSON.stringify(entry)});`);
console.log(`import('@reg/core') in a fresh process (median of ${RUNS}; goal: under 15 ms added)`);
console.log(`  empty node: ${empty.toFixed(1)} ms   with @reg/core: ${withCore.toFixed(1)} ms   added: ${(withCore - empty).toFixed(1)} ms (x${(withCore / empty).toFixed(2)})`);
