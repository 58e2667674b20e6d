import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

describe('README', () => {
  it('runs its first example as written, against the built package', async () => {
    const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain('startEmulator');
    // Inside the package so that `@reg/testkit` (a self-reference) and `openai` resolve as for a user.
    const dir = await mkdtemp(join(packageDir, '.readme-'));
    try {
      const file = join(dir, 'example.mjs');
      await writeFile(file, example ?? '');
      const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: dir, timeout: 20_000 });
      expect(stdout.trim()).toBe('Hi! 2');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
