import { startEmulator, type RunningEmulator } from '@reg/testkit';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ECHO_TEST_KEY, echoBaseUrl, echoRoutes } from '../src/testing/index.js';
import { createAppDir, PACKAGE_ROOT, type AppDir } from './app-dir.js';

const run = promisify(execFile);
const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
const blocks = (language: string) => [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);

let emulator: RunningEmulator;
let app: AppDir;

beforeAll(async () => {
  emulator = await startEmulator({ routes: echoRoutes });
  app = await createAppDir();
});

afterAll(async () => {
  await app?.remove();
  await emulator?.close();
});

/** Runs a README snippet as its own program in the app folder, as a user would, with Node's type stripping. */
async function runInApp(file: string, code: string): Promise<string> {
  await app.write(file, code);
  const { stdout } = await run(process.execPath, [file], {
    cwd: app.dir,
    env: { ...process.env, ECHO_BASE_URL: echoBaseUrl(emulator.url), ECHO_API_KEY: ECHO_TEST_KEY },
    timeout: 20_000,
  });
  return stdout;
}

it('the config example answers through plugins, with the key from ECHO_API_KEY', async () => {
  const [config] = blocks('yaml');
  const [appCode] = blocks('ts');
  expect(config).toContain('plugins: [reg-provider-echo]');
  await app.write('reg.config.yaml', config!);
  const stdout = await runInApp('app.ts', appCode!);
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toBe('echo: Say hello.');
  expect(lines.slice(1).join('')).toBe('echo: Count to three.');
  const requests = emulator.requests({ model: 'echo-1' });
  expect(requests.map((request) => request.path)).toEqual(['/echo/v1/replies', '/echo/v1/replies']);
  expect(requests.map((request) => request.body)).toMatchObject([
    { temperature: 0.2, stream: false },
    { temperature: 0.2, stream: true },
  ]);
  expect(requests[0]?.headers['x-echo-key']).toBe(ECHO_TEST_KEY);
});

it('the in-code example answers', async () => {
  const code = blocks('ts')[1]!;
  expect(code).toContain("from 'reg-provider-echo'");
  expect((await runInApp('in-code.ts', code)).trim()).toBe('echo: Hi!');
});

it('the testing example runs the Echo emulator from reg-provider-echo/testing', async () => {
  const code = blocks('ts')[2]!;
  expect(code).toContain("from 'reg-provider-echo/testing'");
  expect((await runInApp('testing.ts', code)).trim()).toBe('Hi! 2');
});

it('the conformance example is the package own conformance test', () => {
  const test = readFileSync(join(PACKAGE_ROOT, 'test', 'conformance.test.ts'), 'utf8')
    .replace("'../src/index.js'", "'reg-provider-echo'")
    .replace("'../src/testing/index.js'", "'reg-provider-echo/testing'")
    .replace(/^\/\/.*\n/gm, '');
  expect(blocks('ts')[3]).toBe(test);
});
