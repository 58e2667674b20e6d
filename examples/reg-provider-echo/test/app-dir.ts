import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface AppDir {
  dir: string;
  /** Writes a file into the app (e.g. its reg.config.yaml) and returns its path. */
  write(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

/**
 * A folder laid out like an application that ran `npm install @reg/core reg-provider-echo` (and
 * `npm install -D @reg/testkit`): its node_modules links to this package (its built dist, as
 * published), to @reg/core and to @reg/testkit. The package cannot find itself by name from inside
 * the workspace, so the app is made outside it.
 */
export async function createAppDir(): Promise<AppDir> {
  const built = join(PACKAGE_ROOT, 'dist', 'index.js');
  // Existence only: modification times are not trustworthy after a build cache restores dist.
  if (!existsSync(built)) {
    throw new Error('reg-provider-echo is not built: run `pnpm --filter reg-provider-echo build` first (`npm test` does).');
  }
  const dir = await mkdtemp(join(tmpdir(), 'reg-echo-app-'));
  await mkdir(join(dir, 'node_modules', '@reg'), { recursive: true });
  await symlink(PACKAGE_ROOT, join(dir, 'node_modules', 'reg-provider-echo'), 'dir');
  for (const name of ['core', 'testkit']) {
    await symlink(realpathSync(join(PACKAGE_ROOT, 'node_modules', '@reg', name)), join(dir, 'node_modules', '@reg', name), 'dir');
  }
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'echo-app', private: true, type: 'module' }));
  return {
    dir,
    async write(name, text) {
      const path = join(dir, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
