import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';

/** The built bin: tests run `reg` as users do, in a child process. */
export const REG_BIN = fileURLToPath(new URL('../dist/bin/reg.js', import.meta.url));

export interface RegRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RegOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Written to stdin, which is then closed. */
  input?: string;
}

/** Starts `reg <args>` with a minimal environment (no vendor keys leak in from the host). */
export function startReg(args: string[], options: RegOptions = {}): ChildProcess {
  return spawn(process.execPath, [REG_BIN, ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs `reg <args>` to completion. */
export async function runReg(args: string[], options: RegOptions = {}): Promise<RegRun> {
  const child = startReg(args, options);
  child.stdin!.end(options.input ?? '');
  return collect(child);
}

export function collect(child: ChildProcess): Promise<RegRun> & { stderrSoFar(): string } {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const run = new Promise<RegRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return Object.assign(run, { stderrSoFar: () => stderr });
}

/** A fresh folder holding `files` (name -> content). */
export async function tempDir(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reg-cli-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

/** The environment a test config interpolates to reach the emulator. */
export function emulatorEnv(emulator: RunningEmulator): Record<string, string> {
  return {
    OPENAI_BASE_URL: emulator.baseUrls.openai,
    OPENAI_API_KEY: TEST_CREDENTIALS.openai,
    ANTHROPIC_BASE_URL: emulator.baseUrls.anthropic,
    ANTHROPIC_API_KEY: TEST_CREDENTIALS.anthropic,
  };
}

/** Waits until a `reg serve` child prints the gateway's URL on stdout. */
export function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(seen)?.[1];
      if (url) resolve(url);
    });
    child.on('exit', (code) => reject(new Error(`reg serve exited with ${code} before listening`)));
  });
}
