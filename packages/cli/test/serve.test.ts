import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startEmulator, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, emulatorEnv, listeningUrl, startReg, tempDir } from './run-reg.js';

const CONFIG = `
clients:
  - name: Claude
    provider: anthropic
    options: { model: claude-serve, base_url: "\${ANTHROPIC_BASE_URL}", api_key: "\${ANTHROPIC_API_KEY}" }
  - name: GPT
    provider: openai
    options: { model: gpt-serve, base_url: "\${OPENAI_BASE_URL}", api_key: "\${OPENAI_API_KEY}" }
  - name: Resilient
    provider: fallback
    options: { strategy: [Claude, GPT] }
primary: Resilient
`;


describe('reg serve', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('serves the config to the openai SDK, reloads on SIGHUP, and exits 0 on SIGTERM', async () => {
    emulator.script('claude-serve', { sequence: [{ kind: 'status', status: 529 }] });
    emulator.script('gpt-serve', { reply: { text: 'Served by GPT.' } });
    const cwd = await tempDir({ 'reg.config.yaml': CONFIG });
    const child = startReg(['serve', '--port', '0', '--key', 'gateway-key-1'], { cwd, env: emulatorEnv(emulator) });
    const done = collect(child);
    const url = await listeningUrl(child);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    const port = new URL(url).port;

    const openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'gateway-key-1', maxRetries: 0 });
    const { data, response } = await openai.chat.completions.create({ model: 'Resilient', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe('Served by GPT.');
    expect(response.headers.get('x-reg-client')).toBe('GPT');
    expect(response.headers.get('x-reg-attempts')).toBe('2');
    await expect(new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'wrong', maxRetries: 0 }).models.list()).rejects.toMatchObject({ status: 401 });

    // A new client appears after SIGHUP; the gateway keeps running.
    const file = join(cwd, 'reg.config.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('primary: Resilient', `  - name: Added\n    provider: openai\n    options: { model: gpt-added, base_url: "\${OPENAI_BASE_URL}", api_key: "\${OPENAI_API_KEY}" }\nprimary: Resilient`));
    child.kill('SIGHUP');
    await expect.poll(async () => (await openai.models.list()).data.map((model) => model.id), { timeout: 5000 }).toContain('Added');

    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('config reloaded');
    expect(run.stderr).toContain('gateway closed');
    expect(run.stderr).not.toContain(emulatorEnv(emulator).ANTHROPIC_API_KEY);
  });

  it('keeps in-flight streams through a bad SIGHUP reload (old config kept) and lets them finish after SIGTERM', async () => {
    // Five parts 150 ms apart: the stream is mid-way when the signals arrive.
    emulator.script('gpt-slow', { reply: { text: 'one two three four five!' }, chunkSize: 5, sequence: [{ kind: 'drip', intervalMs: 150 }] });
    const config = CONFIG.replace('primary: Resilient', '  - name: Slow\n    provider: openai\n    options: { model: gpt-slow, base_url: "${OPENAI_BASE_URL}", api_key: "${OPENAI_API_KEY}" }\nprimary: Resilient');
    const cwd = await tempDir({ 'reg.config.yaml': config });
    const child = startReg(['serve', '--port', '0', '--insecure-local'], { cwd, env: emulatorEnv(emulator) });
    const done = collect(child);
    const url = await listeningUrl(child);
    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'anything', maxRetries: 0 });
    const stream = await openai.chat.completions.create({ model: 'Slow', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const reading = (async () => {
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    })();
    await writeFile(join(cwd, 'reg.config.yaml'), 'clients: [{ name: Broken, provider: openai }]');
    child.kill('SIGHUP');
    await expect.poll(() => done.stderrSoFar(), { timeout: 5000 }).toContain('clients[0].options.model');
    // The old config still serves new requests.
    expect((await openai.models.list()).data.map((model) => model.id)).toContain('Slow');
    child.kill('SIGTERM');
    expect(await reading).toBe('one two three four five!');
    const run = await done;
    expect(run.code).toBe(0);
    expect(emulator.requests({ model: 'gpt-slow' })).toHaveLength(1);
  }, 20_000);

  it('--insecure-local needs no key and binds 127.0.0.1', async () => {
    emulator.script('gpt-serve', { reply: { text: 'Local.' } });
    const cwd = await tempDir({ 'reg.config.yaml': CONFIG });
    const child = startReg(['serve', '--port', '0', '--insecure-local'], { cwd, env: emulatorEnv(emulator) });
    const done = collect(child);
    const url = await listeningUrl(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'anything', maxRetries: 0 });
    const stream = await openai.chat.completions.create({ model: 'GPT', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Local.');
    child.kill('SIGINT');
    expect((await done).code).toBe(0);
  });

  it('refuses to start without a gateway key, and with an invalid config, exit 1', async () => {
    const cwd = await tempDir({ 'reg.config.yaml': CONFIG, 'bad.yaml': 'clients: [{ name: A, provider: openai }]' });
    const noKey = await collect(startReg(['serve', '--port', '0'], { cwd, env: emulatorEnv(emulator) }));
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('needs at least one key');
    const invalid = await collect(startReg(['serve', '--port', '0', '--insecure-local', '--config', 'bad.yaml'], { cwd, env: emulatorEnv(emulator) }));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('clients[0].options.model');
  });
});
