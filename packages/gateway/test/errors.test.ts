import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../src/index.js';
import { post, PROVIDERS, sdk, setup, type Setup } from './helpers.js';

let t: Setup;
beforeAll(async () => {
  t = await setup({ limits: { maxBodyBytes: 2048 } });
});
afterAll(() => t.close());

const hi = [{ role: 'user' as const, content: 'Hi' }];

describe('gateway key', () => {
  it('refuses a request without the key with 401', async () => {
    const error = await sdk(t.gateway, 'wrong-key').chat.completions.create({ model: 'Mini', messages: hi }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    const bare = await fetch(`${t.gateway.url}/v1/models`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(`${t.gateway.url}/metrics`)).status).toBe(401);
  });

  it('will not start without keys unless insecure-local', async () => {
    await expect(startGateway({ config: { clients: [] }, port: 0, env: {}, providers: PROVIDERS, log: () => undefined })).rejects.toThrow(/needs at least one key/);
  });

  it('insecure-local needs no key and binds 127.0.0.1 whatever host was asked for', async () => {
    const gateway = await startGateway({ config: { clients: [] }, port: 0, host: '0.0.0.0', insecureLocal: true, env: {}, providers: PROVIDERS, log: () => undefined });
    try {
      expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${gateway.url}/v1/models`)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});

describe('error statuses', () => {
  const cases: Array<{ name: string; fault: Record<string, unknown>; status: number; code: string; type: string }> = [
    { name: 'upstream 400', fault: { kind: 'status', status: 400, message: 'bad' }, status: 400, code: 'invalid_request', type: 'invalid_request_error' },
    { name: 'upstream 401 (the upstream key, not the gateway key)', fault: { kind: 'status', status: 401 }, status: 502, code: 'auth', type: 'server_error' },
    { name: 'upstream 404', fault: { kind: 'status', status: 404 }, status: 404, code: 'not_found', type: 'not_found_error' },
    { name: 'upstream 429', fault: { kind: 'status', status: 429, retryAfterSeconds: 3 }, status: 429, code: 'rate_limited', type: 'rate_limit_error' },
    { name: 'upstream 500', fault: { kind: 'status', status: 500 }, status: 502, code: 'server', type: 'server_error' },
    { name: 'upstream 529', fault: { kind: 'status', status: 529 }, status: 503, code: 'overloaded', type: 'server_error' },
    { name: 'connection reset', fault: { kind: 'reset' }, status: 502, code: 'connection', type: 'server_error' },
  ];
  for (const { name, fault, status, code, type } of cases) {
    it(`${name} -> ${status} ${code}`, async () => {
      t.emulator.script('broken', { sequence: [fault as never] });
      const response = await post(t.gateway, { model: 'Broken', messages: hi });
      expect(response.status).toBe(status);
      const body = (await response.json()) as { error: Record<string, unknown> };
      expect(body.error).toMatchObject({ code, type, param: null });
      expect(typeof body.error.message).toBe('string');
      if (status === 429) expect(response.headers.get('retry-after')).toBe('3');
    });
  }

  it('a fallback whose members all failed answers with the last failure status', async () => {
    t.emulator.script('broken', { sequence: [{ kind: 'status', status: 500 }] });
    t.emulator.script('gpt-4o-mini', { sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 2 }] });
    const response = await post(t.gateway, { model: 'Resilient', messages: hi });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toMatchObject({ error: { code: 'all_failed' } });
  });

  it('an upstream timeout is 504', async () => {
    const gateway = await startGateway({
      config: { clients: [{ name: 'Slow', provider: 'openai', options: { model: 'slow', base_url: t.emulator.baseUrls.openai, api_key: 'sk-test-openai-0000', http: { request_timeout_ms: 50 } } }] },
      port: 0, keys: ['k'], env: {}, providers: PROVIDERS, log: () => undefined,
    });
    try {
      t.emulator.script('slow', { sequence: [{ kind: 'hang' }] });
      const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: JSON.stringify({ model: 'Slow', messages: hi }) });
      expect(response.status).toBe(504);
      expect(await response.json()).toMatchObject({ error: { code: 'timeout', type: 'timeout_error' } });
    } finally {
      await gateway.close();
    }
  });

  it('an unknown client is 404 no_such_client', async () => {
    const response = await post(t.gateway, { model: 'Nobody', messages: hi });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'no_such_client', type: 'not_found_error' } });
  });

  it('bad bodies are 400 naming the field', async () => {
    const bad: Array<[unknown, string | null]> = [
      ['{not json', null],
      [{ model: 'Mini' }, 'messages'],
      [{ model: 'Mini', messages: hi, temperature: 'hot' }, 'temperature'],
      [{ model: 'Mini', messages: hi, n: 2 }, 'n'],
      [{ model: 'Mini', messages: hi, surprise: true }, 'surprise'],
      [{ model: 'Mini', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
      [{ model: 'Mini', messages: hi, tools: [{ type: 'function' }] }, 'tools[0]'],
    ];
    for (const [body, param] of bad) {
      const response = await post(t.gateway, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: { param: string | null } }).error.param).toBe(param);
    }
  });

  it('a body over the size limit is 413', async () => {
    const response = await post(t.gateway, { model: 'Mini', messages: [{ role: 'user', content: 'x'.repeat(4096) }] });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'body_too_large' } });
  });

  it('a wrong method is 405', async () => {
    const response = await fetch(`${t.gateway.url}/v1/chat/completions`, { headers: { authorization: 'Bearer gw-test-key-0001' } });
    expect(response.status).toBe(405);
  });
});
