import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { eventually } from '@reg/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../src/index.js';
import { GATEWAY_KEY, post, PROVIDERS, sdk, setup } from './helpers.js';

let emulator: RunningEmulator;
let folder: string;
beforeAll(async () => {
  emulator = await startEmulator();
  folder = await mkdtemp(join(tmpdir(), 'reg-gateway-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(folder, { recursive: true, force: true });
});

const hi = [{ role: 'user' as const, content: 'Hi' }];

function fileConfig(names: string[]) {
  return {
    clients: names.map((name) => ({ name, provider: 'openai', options: { model: `model-${name}`, base_url: emulator.baseUrls.openai, api_key: TEST_CREDENTIALS.openai } })),
  };
}

describe('client disconnect', () => {
  it('cancels the upstream call when the caller aborts', async () => {
    const t = await setup({}, emulator);
    try {
      emulator.script('hanging', { sequence: [{ kind: 'hang' }] });
      t.gateway.registry().addLlmClient('Hanging', 'openai', { model: 'hanging', base_url: emulator.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
      const abort = new AbortController();
      const call = t.client.chat.completions.create({ model: 'Hanging', messages: hi }, { signal: abort.signal }).catch((error: unknown) => error);
      await eventually(() => emulator.requests({ model: 'hanging' }).length === 1);
      abort.abort();
      expect(await call).toBeInstanceOf(Error);
      const closedAt = await eventually(() => emulator.requests({ model: 'hanging' })[0]!.clientClosedAt);
      expect(closedAt).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('cancels a stream mid-way when the caller stops reading', async () => {
    const t = await setup({}, emulator);
    try {
      emulator.script('dripping', { reply: { text: 'a'.repeat(200) }, chunkSize: 1, sequence: [{ kind: 'drip', intervalMs: 20 }] });
      t.gateway.registry().addLlmClient('Dripping', 'openai', { model: 'dripping', base_url: emulator.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
      const stream = await t.client.chat.completions.create({ model: 'Dripping', messages: hi, stream: true });
      let parts = 0;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) parts++;
        if (parts === 3) break;
      }
      const closedAt = await eventually(() => emulator.requests({ model: 'dripping' })[0]!.clientClosedAt);
      expect(closedAt).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});

describe('metrics', () => {
  it('exposes requests, attempts, retries, fallbacks, errors, latency, first-token and tokens by client', async () => {
    const t = await setup({}, emulator);
    try {
      emulator.script('gpt-4o-mini', { reply: { text: 'ok', usage: { inputTokens: 10, outputTokens: 2 } } });
      emulator.script('broken', { sequence: [{ kind: 'status', status: 500 }] });
      emulator.script('flaky', { sequence: [{ kind: 'status', status: 503 }], reply: { text: 'ok' } });
      await t.client.chat.completions.create({ model: 'Resilient', messages: hi });
      await t.client.chat.completions.create({ model: 'Retrying', messages: hi });
      for await (const _chunk of await t.client.chat.completions.create({ model: 'Mini', messages: hi, stream: true })) void _chunk;
      await post(t.gateway, { model: 'Nobody', messages: hi });
      const response = await fetch(`${t.gateway.url}/metrics`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } });
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toContain('# TYPE reg_requests_total counter');
      expect(text).toContain('reg_requests_total{client="Mini",status="200"} 2');
      expect(text).toContain('reg_requests_total{client="Retrying",status="200"} 1');
      expect(text).toContain('reg_attempts_total{client="Broken",status="failure"} 1');
      expect(text).toContain('reg_retries_total{client="Retrying"} 1');
      expect(text).toContain('reg_fallbacks_total{client="Resilient"} 1');
      expect(text).toContain('reg_tokens_total{client="Mini",type="input"} 20');
      expect(text).toMatch(/reg_errors_total\{client="other",code="no_such_client"\} 1/);
      expect(text).toMatch(/reg_request_duration_seconds_bucket\{client="Mini",le="\+Inf"\} 2/);
      expect(text).toMatch(/reg_time_to_first_token_seconds_count\{client="Mini"\} 1/);
      expect(text).not.toContain(TEST_CREDENTIALS.openai);
    } finally {
      await t.close();
    }
  });
});

describe('reload', () => {
  it('swaps the config without dropping in-flight requests, and refuses a bad one', async () => {
    const file = join(folder, 'reload.json');
    await writeFile(file, JSON.stringify(fileConfig(['First'])));
    const logs: Array<Record<string, unknown>> = [];
    const gateway = await startGateway({ config: file, port: 0, keys: [GATEWAY_KEY], env: {}, providers: PROVIDERS, log: (entry) => logs.push(entry) });
    try {
      const client = sdk(gateway);
      emulator.script('model-First', { reply: { text: 'slow first' }, latencyMs: 300 });
      const inFlight = client.chat.completions.create({ model: 'First', messages: hi });
      await eventually(() => emulator.requests({ model: 'model-First' }).length === 1);
      await writeFile(file, JSON.stringify(fileConfig(['Second'])));
      await gateway.reload();
      expect((await inFlight).choices[0]!.message.content).toBe('slow first');
      expect((await client.models.list()).data.map((model) => model.id)).toEqual(['Second']);

      await writeFile(file, JSON.stringify({ clients: [{ name: 'Bad', provider: 'openai', options: { temperature: 'hot' } }] }));
      await expect(gateway.reload()).rejects.toThrow(/clients\[0\]\.options/);
      expect(logs.some((entry) => String(entry.msg).startsWith('config reload refused') && JSON.stringify(entry.issues).includes('clients[0].options'))).toBe(true);
      expect((await client.models.list()).data.map((model) => model.id)).toEqual(['Second']);

      // The file watcher reloads by itself.
      await writeFile(file, JSON.stringify(fileConfig(['Third'])));
      await eventually(() => gateway.registry().clientNames()[0] === 'Third', 3_000);
    } finally {
      await gateway.close();
    }
  });
});

describe('close', () => {
  it('lets in-flight requests finish, then stops', async () => {
    const t = await setup({}, emulator);
    emulator.script('draining', { reply: { text: 'finished in time' }, latencyMs: 200 });
    t.gateway.registry().addLlmClient('Draining', 'openai', { model: 'draining', base_url: emulator.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
    const inFlight = t.client.chat.completions.create({ model: 'Draining', messages: hi });
    await eventually(() => emulator.requests({ model: 'draining' }).length > 0);
    const closed = t.close();
    expect((await inFlight).choices[0]!.message.content).toBe('finished in time');
    await closed;
    await expect(fetch(`${t.gateway.url}/healthz`)).rejects.toThrow();
  });

  it('ends requests still running after the grace period', async () => {
    const t = await setup({ shutdownGraceMs: 100 }, emulator);
    emulator.script('stuck', { sequence: [{ kind: 'hang' }] });
    t.gateway.registry().addLlmClient('Stuck', 'openai', { model: 'stuck', base_url: emulator.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
    const inFlight = t.client.chat.completions.create({ model: 'Stuck', messages: hi }).catch((error: unknown) => error);
    await eventually(() => emulator.requests({ model: 'stuck' }).length === 1);
    const started = performance.now();
    await t.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await inFlight).toBeInstanceOf(Error);
    await eventually(() => emulator.requests({ model: 'stuck' })[0]!.clientClosedAt);
  });
});
