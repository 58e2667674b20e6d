import { aiSdk } from '@reg/provider-ai-sdk';
import { awsBedrock } from '@reg/provider-bedrock';
import { openrouter } from '@reg/provider-openai';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/index.js';
import { GATEWAY_KEY, post, PROVIDERS, sdk, setup, type Setup } from './helpers.js';

/** The gateway's providers, with some that declare ambient credentials: it reads what each declares. */
const DECLARING = [...PROVIDERS, openrouter, awsBedrock, aiSdk];

let t: Setup;
/** A gateway that lets request-defined clients reach the 127.0.0.1 emulator. */
let open: RunningGateway;
beforeAll(async () => {
  t = await setup({ providers: DECLARING, limits: { maxClients: 3, maxStrategyDepth: 1, maxRetries: 2, maxTimeoutMs: 5_000 } });
  open = await startGateway({
    config: { clients: [] },
    port: 0,
    keys: [GATEWAY_KEY],
    // The server's environment has a key: request-defined clients must never receive it.
    env: { OPENAI_API_KEY: TEST_CREDENTIALS.openai, ANTHROPIC_API_KEY: TEST_CREDENTIALS.anthropic },
    providers: DECLARING,
    allowUpstreams: ['127.0.0.1'],
    limits: { maxClients: 3, maxStrategyDepth: 1, maxRetries: 2, maxTimeoutMs: 5_000 },
    log: () => undefined,
  });
});
afterAll(async () => {
  await open.close();
  await t.close();
});

const hi = [{ role: 'user', content: 'Hi' }];

function bamlOptions(options: Record<string, unknown>, provider = 'openai') {
  return { client_registry: { clients: [{ name: 'OpenAI', provider, retry_policy: null, options }], primary: 'OpenAI' } };
}

describe('request-defined registries', () => {
  it("takes BAML's __baml_options__ JSON as sent, with its own key", async () => {
    t.emulator.script('gpt-5-mini', { reply: { text: 'own registry' } });
    const response = await post(open, {
      model: 'anything',
      messages: hi,
      __baml_options__: bamlOptions({ model: 'gpt-5-mini', api_key: TEST_CREDENTIALS.openai, base_url: t.emulator.baseUrls.openai }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-reg-client')).toBe('OpenAI');
    expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('own registry');
  });

  it('works through the official SDK as reg_options, streaming too', async () => {
    t.emulator.script('gpt-5-mini', { reply: { text: 'streamed own' } });
    const client = sdk(open);
    // reg's extension of the body, which the SDK's types do not know.
    const extension = { reg_options: bamlOptions({ model: 'gpt-5-mini', api_key: TEST_CREDENTIALS.openai, base_url: t.emulator.baseUrls.openai }) };
    const stream = await client.chat.completions.create({ model: 'OpenAI', messages: [{ role: 'user', content: 'Hi' }], stream: true, ...extension });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('streamed own');
  });

  it("never gives a request-defined client the server's keys", async () => {
    const before = t.emulator.requests().length;
    const response = await post(open, { model: 'x', messages: hi, reg_options: bamlOptions({ model: 'gpt-5-mini', base_url: t.emulator.baseUrls.openai }) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('missing_credentials');
    expect(body.error.message).not.toContain(TEST_CREDENTIALS.openai);
    expect(t.emulator.requests().length).toBe(before);
  });

  it("does not interpolate the server's environment", async () => {
    const response = await post(open, { model: 'x', messages: hi, reg_options: bamlOptions({ model: 'gpt-5-mini', api_key: '${OPENAI_API_KEY}', base_url: t.emulator.baseUrls.openai }) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; param: string; message: string } };
    expect(body.error).toMatchObject({ code: 'config', param: 'reg_options.client_registry.clients[0].options.api_key' });
    expect(body.error.message).toContain('OPENAI_API_KEY is not set');
  });

  it('does not reach shorthand clients with server keys either', async () => {
    const response = await post(open, { model: 'x', messages: hi, reg_options: { client_registry: { clients: [{ name: 'S', provider: 'fallback', options: { strategy: ['openai/gpt-4o'] } }], primary: 'S' } } });
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('all_failed');
    expect(body.error.message).toContain('missing_credentials');
  });

  it('validates like a config, naming paths in the body', async () => {
    const response = await post(t.gateway, {
      model: 'x',
      messages: hi,
      __baml_options__: { client_registry: { clients: [{ name: 'A', provider: 'openai', options: { model: 'm', api_key: 'k', temperature: 'warm' } }], primary: 'B' } },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; param: string } };
    expect(body.error.code).toBe('config');
    expect(body.error.message).toContain('__baml_options__.client_registry.clients[0].options.temperature');
    expect(body.error.message).toContain('__baml_options__.client_registry.primary');
  });

  it('refuses plugins and providers that use ambient server credentials', async () => {
    const response = await post(t.gateway, {
      model: 'x',
      messages: hi,
      reg_options: {
        client_registry: {
          plugins: ['some-package'],
          clients: [
            { name: 'B', provider: 'aws-bedrock', options: { model: 'm' } },
            { name: 'S', provider: 'ai-sdk', options: { package: '@ai-sdk/openai-compatible', model: 'm', settings: { baseURL: 'http://169.254.169.254' } } },
          ],
        },
      },
    });
    const body = (await response.json()) as { error: { message: string } };
    expect(response.status).toBe(400);
    expect(body.error.message).toContain('reg_options.client_registry.plugins: a request-defined registry cannot load plugins');
    expect(body.error.message).toContain("reg_options.client_registry.clients[0].provider: 'aws-bedrock' uses ambient server credentials");
    expect(body.error.message).toContain("reg_options.client_registry.clients[1].provider: 'ai-sdk' uses ambient server credentials");
  });

  it('enforces the limits on clients, nesting, retries and timeouts', async () => {
    const leaf = (name: string, extra: Record<string, unknown> = {}) => ({ name, provider: 'openai', options: { model: 'm', api_key: 'k', ...extra } });
    const checks: Array<[Record<string, unknown>, string]> = [
      [{ clients: [leaf('A'), leaf('B'), leaf('C'), leaf('D')] }, 'clients: defines 4 clients'],
      [{ clients: [leaf('A'), { name: 'F1', provider: 'fallback', options: { strategy: ['A'] } }, { name: 'F2', provider: 'fallback', options: { strategy: ['F1'] } }] }, 'options.strategy: nests strategies 2 deep'],
      [{ clients: [leaf('A')], retry_policies: { Many: { max_retries: 50 } } }, 'retry_policies.Many.max_retries'],
      [{ clients: [{ ...leaf('A'), retry_policy: 'DefaultRetry' }] }, 'clients[0].retry_policy: DefaultRetry makes 3 retries'],
      [{ clients: [leaf('A', { http: { request_timeout_ms: 600_000 } })] }, 'clients[0].options.http.request_timeout_ms'],
    ];
    for (const [registry, expected] of checks) {
      const response = await post(t.gateway, { model: 'A', messages: hi, reg_options: { client_registry: registry } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(expected);
    }
  });
});

describe('request-defined registries read what providers declare', () => {
  it('may use every built-in strategy, hedge included', async () => {
    t.emulator.script('hedged-a', { reply: { text: 'from A' } });
    const response = await post(open, {
      model: 'H',
      messages: hi,
      reg_options: {
        client_registry: {
          clients: [
            { name: 'A', provider: 'openai', options: { model: 'hedged-a', api_key: TEST_CREDENTIALS.openai, base_url: t.emulator.baseUrls.openai } },
            { name: 'H', provider: 'hedge', options: { strategy: ['A'], delay_ms: 50 } },
          ],
          primary: 'H',
        },
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-reg-client')).toBe('A');
  });

  it("checks the options a provider declares as endpoints, and only those (openrouter's app_url is a header)", async () => {
    const registry = (options: Record<string, unknown>) => ({
      client_registry: { clients: [{ name: 'R', provider: 'openrouter', options: { model: 'openai/gpt-4o-mini', api_key: 'k', ...options } }], primary: 'R' },
    });
    const refused = await post(t.gateway, { model: 'x', messages: hi, reg_options: registry({ base_url: 'http://10.0.0.7/api/v1' }) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { param: string } }).error.param).toBe('reg_options.client_registry.clients[0].options.base_url');
    t.emulator.script('openai/gpt-4o-mini', { reply: { text: 'routed' } });
    const allowed = await post(open, {
      model: 'x',
      messages: hi,
      reg_options: registry({ base_url: t.emulator.baseUrls.openrouter, api_key: TEST_CREDENTIALS.openrouter, app_url: 'http://10.0.0.7/my-app' }),
    });
    expect(allowed.status).toBe(200);
    expect(t.emulator.requests({ model: 'openai/gpt-4o-mini' }).at(-1)?.headers['http-referer']).toBe('http://10.0.0.7/my-app');
  });
});

describe('upstream allow-list', () => {
  const refused: Array<[string, RegExp]> = [
    ['http://127.0.0.1:9/v1', /loopback/],
    ['http://10.1.2.3/v1', /private/],
    ['http://169.254.169.254/latest', /cloud metadata/],
    ['http://[::1]:8080/v1', /loopback/],
    ['http://[::ffff:127.0.0.1]/v1', /loopback/],
    ['http://[fd00:ec2::254]/', /cloud metadata/],
    ['http://localhost:9/v1', /host 'localhost' resolves to .*loopback/],
    ['http://0x7f.1/v1', /loopback/],
    ['file:///etc/passwd', /http or https/],
  ];
  for (const [url, reason] of refused) {
    it(`refuses base_url ${url}`, async () => {
      const response = await post(t.gateway, { model: 'x', messages: hi, reg_options: bamlOptions({ model: 'm', api_key: 'k', base_url: url }) });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { param: string; message: string } };
      expect(body.error.param).toBe('reg_options.client_registry.clients[0].options.base_url');
      expect(body.error.message).toMatch(reason);
    });
  }

  it('lets the operator allow an address', async () => {
    t.emulator.script('allowed', { reply: { text: 'allowed' } });
    const response = await post(open, { model: 'x', messages: hi, reg_options: bamlOptions({ model: 'allowed', api_key: TEST_CREDENTIALS.openai, base_url: t.emulator.baseUrls.openai }) });
    expect(response.status).toBe(200);
  });
});
