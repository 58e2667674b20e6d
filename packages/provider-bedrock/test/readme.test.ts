import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('./.readme-example.tmp.ts', import.meta.url));

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(EXAMPLE, { force: true });
  await emulator.close();
});

test("the README's example runs as written, with credentials from the environment", async () => {
  const readme = await readFile(README, 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toContain("provider: 'aws-bedrock'");
  // Only the import of this package changes: the test runs it from source.
  await writeFile(EXAMPLE, code!.replace("from '@reg/provider-bedrock'", "from '../src/index.js'"));
  // The example reads process.env, like a user's app: the standard AWS variables point it here.
  vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.aws.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.aws.secretAccessKey);
  vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', emulator.baseUrls.bedrock);
  emulator.script('anthropic.claude-3-5-haiku-20241022-v1:0', { reply: { text: 'Hello!' } });
  const logged: unknown[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => void logged.push(...values));
  try {
    await import(EXAMPLE);
  } finally {
    log.mockRestore();
  }
  expect(logged).toEqual(['Hello!']);
  expect(emulator.requests({ model: 'anthropic.claude-3-5-haiku-20241022-v1:0' })).toHaveLength(1);
});
