// Runs every package's tests in one vitest run, then prints one summary line that CI reads:
// "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const outDir = join(process.cwd(), '.test-results');
const outFile = join(outDir, 'vitest.json');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

// Tests of @reg/state-redis and `reg serve --state-redis` run a real redis-server. Installing it
// (Debian's package, when missing) happens here, once, before vitest's hook timeouts apply.
const { ensureRedisServer } = await import('../packages/state-redis/dist/testing/redis-server.js');
try {
  console.log(`redis-server for the tests: ${ensureRedisServer()}`);
} catch (error) {
  // The tests that need it fail with this message too; the others still run.
  console.error(`warning: ${error.message}`);
}

// Tests make temporary folders (configs, key files, app folders) through os.tmpdir(); giving the
// run its own, removed afterwards, leaves nothing behind on the machine. The path stays short for
// Unix socket names.
const testTmp = mkdtempSync(join(tmpdir(), 'reg-tests-'));
const result = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${outFile}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, TMPDIR: testTmp } },
);
rmSync(testTmp, { recursive: true, force: true });

let report;
try {
  report = JSON.parse(readFileSync(outFile, 'utf8'));
} catch {
  console.error('\nvitest wrote no report; the run counts as failed');
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(result.status ?? 1);
