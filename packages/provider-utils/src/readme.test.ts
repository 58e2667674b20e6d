import { readFileSync } from 'node:fs';
import { startEmulator, TEST_CREDENTIALS } from '@reg/testkit';
import { expect, it } from 'vitest';
import * as http from './http/index.js';

it('runs the README example against the emulator', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const emulator = await startEmulator();
  const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
  process.env.OPENAI_API_KEY = TEST_CREDENTIALS.openai;
  process.env.OPENAI_BASE_URL = emulator.baseUrls.openai;
  try {
    emulator.script('gpt-4o-mini', { reply: { text: 'Hello over one write' } });
    // The example imports the published name; here it runs against this package's source.
    const source = example!.replace("import { HttpTransport } from '@reg/provider-utils/http';", 'const { HttpTransport } = modules;');
    expect(source).not.toContain('import ');
    const printed: unknown[][] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...parameters: string[]) => (...values: unknown[]) => Promise<void>;
    await new AsyncFunction('modules', 'console', source)(http, { log: (...values: unknown[]) => printed.push(values) });
    expect(printed).toEqual([[200, 'Hello over one write']]);
    expect(emulator.requests({ model: 'gpt-4o-mini' })[0]).toMatchObject({ path: '/v1/chat/completions' });
  } finally {
    for (const [name, value] of [['OPENAI_API_KEY', saved.key], ['OPENAI_BASE_URL', saved.url]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await emulator.close();
  }
});
