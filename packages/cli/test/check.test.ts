import { startEmulator, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEnv, runReg, tempDir } from './run-reg.js';

const INVALID = `
primary: Nope
retry_policies:
  Quick: { max_retries: -1 }
clients:
  - name: Fast
    provider: openai
    options: { model: gpt-4o, temperature: hot }
  - name: Chain
    provider: fallback
    options: { strategy: [Fast, Missing] }
  - name: Bad/Name
    provider: anthropic
`;

const VALID = `
retry_policies:
  Quick: { max_retries: 1, strategy: { type: constant_delay, delay_ms: 10 } }
clients:
  - name: Fast
    provider: openai
    retry_policy: Quick
    options: { model: gpt-4o-mini, base_url: "\${OPENAI_BASE_URL}", api_key: "\${OPENAI_API_KEY}" }
  - name: Claude
    provider: anthropic
    options: { model: claude-haiku-4-5-20251001, base_url: "\${ANTHROPIC_BASE_URL}", api_key: "\${ANTHROPIC_API_KEY}" }
  - name: Broken
    provider: anthropic
    options: { model: claude-broken, base_url: "\${ANTHROPIC_BASE_URL}", api_key: "\${ANTHROPIC_API_KEY}" }
  - name: Chain
    provider: fallback
    options: { strategy: [Claude, Fast] }
  - name: Hedged
    provider: hedge
    options: { strategy: [Claude, Fast], delay_ms: 200 }
primary: Chain
`;

describe('reg check', () => {
  it('prints every issue of an invalid config with its path and exits 1', async () => {
    const cwd = await tempDir({ 'reg.config.yaml': INVALID });
    const run = await runReg(['check'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('reg.config.yaml is invalid (5 issues)');
    expect(run.stderr).toContain('retry_policies.Quick.max_retries: must be at least 0');
    expect(run.stderr).toContain('clients[0].options.temperature: must be a number');
    expect(run.stderr).toContain("clients[1].options.strategy[1]: 'Missing' is not a client");
    expect(run.stderr).toContain('clients[2].name: must be a name');
    expect(run.stderr).toContain("primary: 'Nope' is not a client");
  });

  it('--json reports the issues as data', async () => {
    const cwd = await tempDir({ 'broken.json': JSON.stringify({ clients: [{ name: 'A', provider: 'openai', options: {} }] }) });
    const run = await runReg(['check', '--config', 'broken.json', '--json'], { cwd });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: false, issues: expect.arrayContaining([{ path: 'clients[0].options.model', message: expect.stringContaining('is required') }]) });
  });

  it('summarises a valid config as a table of clients and exits 0', async () => {
    const cwd = await tempDir({ 'reg.config.yml': VALID });
    // The config names its base URLs and keys from the environment; no call is made.
    const run = await runReg(['check'], { cwd, env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', ANTHROPIC_API_KEY: 'k' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('is valid: 5 client(s), primary Chain');
    const rows = run.stdout.split('\n').map((line) => line.split(/\s{2,}/));
    expect(rows).toContainEqual(['client', 'provider', 'model', 'retry policy']);
    expect(rows).toContainEqual(['Fast', 'openai', 'gpt-4o-mini', 'Quick']);
    expect(rows).toContainEqual(['Claude', 'anthropic', 'claude-haiku-4-5-20251001', 'none']);
    expect(rows).toContainEqual(['Chain', 'fallback', '[Claude, Fast]', '-']);
    expect(rows).toContainEqual(['Hedged', 'hedge', '[Claude, Fast]', '-']);
  });

  it('fails with exit 2 when there is no config to check', async () => {
    const run = await runReg(['check'], { cwd: await tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no config file in');
  });
});

describe('reg check --ping', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('calls each leaf client once, tiny, and exits 3 with a table when one fails', async () => {
    emulator.script('claude-broken', { sequence: [{ kind: 'status', status: 500 }] });
    emulator.script('gpt-4o-mini', { sequence: [{ kind: 'status', status: 503 }, 'ok'] });
    const cwd = await tempDir({ 'reg.config.yaml': VALID });
    const run = await runReg(['check', '--ping'], { cwd, env: emulatorEnv(emulator) });
    expect(run.code).toBe(3);
    const rows = run.stdout.split('\n').map((line) => line.split(/\s{2,}/));
    expect(rows).toContainEqual(['client', 'status', 'latency', 'error code']);
    expect(rows).toContainEqual(['Fast', 'ok', expect.stringMatching(/^\d+ ms$/)]);
    expect(rows).toContainEqual(['Claude', 'ok', expect.stringMatching(/^\d+ ms$/)]);
    expect(rows).toContainEqual(['Broken', 'failed', expect.stringMatching(/^\d+ ms$/), 'server']);
    const pingRows = rows.slice(rows.findIndex((row) => row[1] === 'status'));
    // Strategies are not pinged: their members are.
    expect(pingRows.map((row) => row[0])).not.toContain('Chain');
    expect(pingRows.map((row) => row[0])).not.toContain('Hedged');
    expect(run.stdout).toContain('1 of 3 client(s) failed.');
    // Not a terminal: one plain progress line per client as it finishes.
    expect(run.stderr).toContain('Pinging 3 client(s)');
    expect(run.stderr).toMatch(/Broken\s+failed \[server\]/);
    // One request per leaf (Fast's retry policy adds one after its 503), each asking for few tokens.
    expect(emulator.requests({ model: 'claude-broken' })).toHaveLength(1);
    expect(emulator.requests({ model: 'gpt-4o-mini' })).toHaveLength(2);
    const claude = emulator.requests({ model: 'claude-haiku-4-5-20251001' });
    expect(claude).toHaveLength(1);
    expect((claude[0]!.body as { max_tokens: number }).max_tokens).toBeLessThanOrEqual(5);
  });

  it('exits 0 when every client answers, and --json gives the results', async () => {
    const cwd = await tempDir({ 'reg.config.yaml': VALID.replace('model: claude-broken', 'model: claude-fine') });
    const run = await runReg(['check', '--ping', '--json'], { cwd, env: emulatorEnv(emulator) });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { ping: Array<{ client: string; status: string; latencyMs: number }> };
    expect(report.ping.map((result) => [result.client, result.status])).toEqual([
      ['Fast', 'ok'],
      ['Claude', 'ok'],
      ['Broken', 'ok'],
    ]);
  });
});
