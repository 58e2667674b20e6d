#!/usr/bin/env node
// Runs under the machine's own Node (20 is enough): brings the project's Node and pnpm into
// .tools/ from the npm registry, installs the workspace, then runs a root script under them.
// Nothing outside the project is touched; a second run reuses what the first installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_VERSION = '24.21.0';
const PNPM_VERSION = '10.34.9';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tools = join(root, '.tools');
const stampFile = join(tools, 'versions.json');
const wanted = JSON.stringify({ node: NODE_VERSION, pnpm: PNPM_VERSION });
const script = process.argv[2];
if (!script) {
  console.error('usage: node scripts/bootstrap.mjs <root script> [args...]');
  process.exit(2);
}

function run(command, args, env) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== wanted) {
  console.log(`[bootstrap] installing node@${NODE_VERSION} and pnpm@${PNPM_VERSION} into .tools/`);
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, 'package.json'), '{ "private": true }\n');
  const status = run('npm', [
    'install', '--prefix', tools, '--no-save', '--no-package-lock', '--no-audit', '--no-fund',
    `node@${NODE_VERSION}`, `pnpm@${PNPM_VERSION}`,
  ], process.env);
  if (status !== 0) process.exit(status);
  writeFileSync(stampFile, wanted);
}

const env = {
  ...process.env,
  PATH: `${join(tools, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
};
for (const key of Object.keys(env)) {
  // npm sets these for its own child; they would point pnpm at npm's node.
  if (key.startsWith('npm_')) delete env[key];
}

const installArgs = ['install', '--prefer-offline'];
if (existsSync(join(root, 'pnpm-lock.yaml'))) installArgs.push('--frozen-lockfile');
let status = run('pnpm', installArgs, env);
if (status !== 0) process.exit(status);
status = run('pnpm', ['run', script, ...process.argv.slice(3)], env);
process.exit(status);
