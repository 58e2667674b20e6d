// The chaos run as a benchmark: 1,000 calls through fallback[round-robin[A, B], C] with 30% of
// upstream calls failing (seeded), against a baseline of the same calls with no faults, measured in
// the same run on the same emulator. Run `pnpm turbo run build --filter=@reg/failure-suite...` first.
//   node bench/chaos.mjs [seed]      (or REG_CHAOS_SEED=...)
import { startEmulator } from '@reg/testkit';
import { formatChaosReport, runChaos } from '../dist/chaos-run.js';

const seed = Number(process.argv[2] ?? process.env.REG_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const calls = 1_000;
const concurrency = 16;

const emulator = await startEmulator();
try {
  // Warm-up: SDK clients, connection pools and JIT, so neither measured run pays for them.
  await runChaos({ seed, calls: 100, concurrency, failureRate: 0, emulator });

  const baseline = await runChaos({ seed, calls, concurrency, failureRate: 0, emulator });
  const chaos = await runChaos({ seed, calls, concurrency, failureRate: 0.3, emulator });

  console.log('baseline (no faults):');
  console.log(formatChaosReport(baseline));
  console.log('\nchaos:');
  console.log(formatChaosReport(chaos));
  const ratio = chaos.durationMs / baseline.durationMs;
  console.log(`\nchaos wall time / baseline wall time: ${ratio.toFixed(2)}x (${(chaos.durationMs / 1000).toFixed(2)} s vs ${(baseline.durationMs / 1000).toFixed(2)} s)`);
  console.log('(the chaos run waits out scripted hangs, stalls and timeouts by design; the ratio shows what they cost)');
  if (baseline.violations.length > 0 || chaos.violations.length > 0) {
    console.error(`invariant violations: replay with REG_CHAOS_SEED=${seed}`);
    process.exitCode = 1;
  }
} finally {
  await emulator.close();
}
