import { readFileSync } from 'node:fs';
import { startEmulator, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEnv, runReg, tempDir } from './run-reg.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The first code block of `language` that contains `text`. */
function block(language: string, text: string): string {
  const found = [...README.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].find((match) => match[1]!.includes(text));
  if (!found) throw new Error(`README has no ${language} block with ${text}`);
  return found[1]!;
}

/** `reg chat --client GPT "Say hello"` -> ['chat', '--client', 'GPT', 'Say hello'] */
function regArgs(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!).slice(1);
}

describe('README example', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('runs as written against the emulators (base URLs from the environment, as the SDKs read them)', async () => {
    // Claude is overloaded once: its retry policy rides it out.
    emulator.script('claude-sonnet-5-5', { sequence: [{ kind: 'status', status: 529 }] });
    const cwd = await tempDir({ 'reg.config.yaml': block('yaml', 'clients:') });
    const lines = block('sh', 'reg ')
      .split('\n')
      .filter((line) => line.startsWith('reg '));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      const run = await runReg(regArgs(line), { cwd, env: emulatorEnv(emulator) });
      expect({ line, code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ line, code: 0, stderr: '' });
      if (line.startsWith('reg chat')) {
        expect(run.stdout.trim()).not.toBe('');
        expect(run.stderr).toMatch(/^-- \w+ \(/);
      }
    }
    // check --ping: Claude (529, then its retry) and GPT; then one chat each.
    expect(emulator.requests({ model: 'claude-sonnet-5-5' })).toHaveLength(3);
    expect(emulator.requests({ model: 'gpt-4o-mini' })).toHaveLength(2);
  });
});
