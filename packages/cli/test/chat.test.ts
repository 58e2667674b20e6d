import { startEmulator, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEnv, runReg, tempDir } from './run-reg.js';

const CONFIG = `
clients:
  - name: Claude
    provider: anthropic
    options: { model: claude-chat-primary, base_url: "\${ANTHROPIC_BASE_URL}", api_key: "\${ANTHROPIC_API_KEY}" }
  - name: GPT
    provider: openai
    options: { model: gpt-chat-backup, base_url: "\${OPENAI_BASE_URL}", api_key: "\${OPENAI_API_KEY}" }
  - name: Resilient
    provider: fallback
    options: { strategy: [Claude, GPT] }
primary: Resilient
`;

describe('reg chat', () => {
  let emulator: RunningEmulator;
  let cwd: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    cwd = await tempDir({ 'reg.config.yaml': CONFIG });
  });
  afterAll(() => emulator.close());

  it('streams the answer to stdout, then one summary line to stderr', async () => {
    emulator.script('claude-chat-primary', { sequence: [{ kind: 'status', status: 529 }] });
    emulator.script('gpt-chat-backup', { reply: { text: 'Streamed hello from the backup.', usage: { inputTokens: 11, outputTokens: 7 } }, chunkSize: 4 });
    const run = await runReg(['chat', 'Say hello'], { cwd, env: emulatorEnv(emulator) });
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^-- GPT \(openai gpt-chat-backup\) \| attempts: Claude overloaded 529 -> GPT ok \| 11 in \/ 7 out tokens \| \d+(\.\d)? m?s\n$/);
    expect(run.stdout).toBe('Streamed hello from the backup.\n');
    expect(run.code).toBe(0);
    const [request] = emulator.requests({ model: 'gpt-chat-backup' });
    expect(request!.body).toMatchObject({ stream: true, messages: [{ role: 'user', content: 'Say hello' }] });
  });

  it("reads the prompt from stdin with '-' and calls the --client asked for", async () => {
    emulator.script('claude-chat-primary', { reply: { text: 'Claude here.' } });
    const run = await runReg(['chat', '--client', 'Claude', '-'], { cwd, env: emulatorEnv(emulator), input: 'A prompt\nfrom stdin\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Claude here.\n');
    expect(run.stderr).toContain('attempts: Claude ok');
    const requests = emulator.requests({ model: 'claude-chat-primary' });
    expect(requests.at(-1)!.body).toMatchObject({ messages: [{ role: 'user', content: 'A prompt\nfrom stdin\n' }] });
  });

  it('prints the error message and code and exits 1 when every client fails', async () => {
    emulator.script('claude-chat-primary', { sequence: [{ kind: 'status', status: 529 }] });
    emulator.script('gpt-chat-backup', { sequence: [{ kind: 'status', status: 401 }] });
    const run = await runReg(['chat', 'Say hello'], { cwd, env: emulatorEnv(emulator) });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("error [all_failed]: All clients of 'Resilient' failed");
    expect(run.stderr).toContain('attempts: Claude overloaded 529 -> GPT auth 401');
    expect(run.stderr).not.toContain(emulatorEnv(emulator).OPENAI_API_KEY);
  });

  it('without a config file, uses the default client and says which credentials it lacks', async () => {
    const run = await runReg(['chat', 'hi'], { cwd: await tempDir() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [missing_credentials]');
    expect(run.stderr).toContain('ANTHROPIC_API_KEY');
  });

  it('--timeout-ms bounds the call', async () => {
    emulator.script('claude-chat-primary', { sequence: [{ kind: 'hang' }] });
    const run = await runReg(['chat', '--client', 'Claude', '--timeout-ms', '300', 'hi'], { cwd, env: emulatorEnv(emulator) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [timeout]');
  });
});
