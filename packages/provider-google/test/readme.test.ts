import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { TEST_CREDENTIALS, startEmulator } from '@reg/testkit';
import { afterEach, expect, it, vi } from 'vitest';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('./readme-example.generated.ts', import.meta.url));

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await rm(EXAMPLE, { force: true });
});

it("the README's example runs against the emulator", async () => {
  const readme = await readFile(README, 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toContain("from '@reg/provider-google'");
  // The example reads GOOGLE_API_KEY like an app would; the SDK's base-URL variable points it here.
  const emulator = await startEmulator();
  try {
    vi.stubEnv('GOOGLE_API_KEY', TEST_CREDENTIALS.gemini);
    vi.stubEnv('GOOGLE_GEMINI_BASE_URL', emulator.baseUrls.gemini);
    emulator.script('gemini-2.0-flash', { reply: { text: 'Hello!', usage: { inputTokens: 3, outputTokens: 2 } } });
    await writeFile(EXAMPLE, code!.replace("'@reg/provider-google'", "'../src/index.js'"));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await import(EXAMPLE);
    expect(log).toHaveBeenCalledWith('Hello!', { inputTokens: 3, outputTokens: 2, totalTokens: 5 });
    expect(emulator.requests({ model: 'gemini-2.0-flash' })[0]?.body).toMatchObject({ generationConfig: { temperature: 0.2 } });
  } finally {
    await emulator.close();
  }
});
