import { startRedisServer, type RedisServer } from '@reg/state-redis/testing';
import { startEmulator, type RunningEmulator } from '@reg/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, emulatorEnv, listeningUrl, startReg, tempDir } from './run-reg.js';

const CONFIG = `
clients:
  - name: KeyA
    provider: openai
    options: { model: shared-a, base_url: "\${OPENAI_BASE_URL}", api_key: "\${OPENAI_API_KEY}" }
  - name: KeyB
    provider: openai
    options: { model: shared-b, base_url: "\${OPENAI_BASE_URL}", api_key: "\${OPENAI_API_KEY}" }
  - name: Balanced
    provider: round-robin
    options: { strategy: [KeyA, KeyB] }
primary: Balanced
`;


describe('reg serve --state-redis', () => {
  let emulator: RunningEmulator;
  let redis: RedisServer;
  beforeAll(async () => {
    emulator = await startEmulator();
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.dispose();
    await emulator.close();
  });

  it('two gateways share one round-robin cursor through Redis', async () => {
    const cwd = await tempDir({ 'reg.config.yaml': CONFIG });
    const env = { ...emulatorEnv(emulator), REG_STATE_REDIS_URL: redis.url };
    const children = [startReg(['serve', '--port', '0', '--insecure-local'], { cwd, env }), startReg(['serve', '--port', '0', '--insecure-local', '--state-redis', redis.url], { cwd, env })];
    const runs = children.map((child) => collect(child));
    const urls = await Promise.all(children.map(listeningUrl));
    const clients = urls.map((url) => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'local', maxRetries: 0 }));
    const answered: string[] = [];
    // Alternate between the gateways: each turn of the shared cursor goes to the next key. With a
    // cursor per process it would be KeyA, KeyA, KeyB, KeyB.
    for (let call = 0; call < 6; call++) {
      const { response } = await clients[call % 2]!.chat.completions.create({ model: 'Balanced', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      answered.push(response.headers.get('x-reg-client') ?? '?');
    }
    expect(answered).toEqual(['KeyA', 'KeyB', 'KeyA', 'KeyB', 'KeyA', 'KeyB']);
    expect(emulator.requests({ model: 'shared-a' })).toHaveLength(3);
    expect(emulator.requests({ model: 'shared-b' })).toHaveLength(3);
    for (const child of children) child.kill('SIGTERM');
    for (const run of await Promise.all(runs)) {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/state shared through redis:\/\/127\.0\.0\.1:\d+/);
    }
  });
});
