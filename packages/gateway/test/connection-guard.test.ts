import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type LookupAll, type RunningGateway } from '../src/index.js';
import { GATEWAY_KEY, post, PROVIDERS } from './helpers.js';

// Request-defined clients connect only where the allow-list says, checked at connect time on the
// address actually used: a DNS answer that changes after the registry's check (rebinding) and a
// redirect to a private address both get nowhere. The host names below exist only in the
// gateway's `lookup`, so a connection that reached anything did so through the guard's answer.

let emulator: RunningEmulator;
/** A private service the redirects point at; it counts what reaches it. */
let internal: Server;
let internalHits = 0;
/** An allowed upstream that answers every request with a redirect to the private service. */
let redirector: Server;
let redirectorPort: number;
let internalPort: number;
let gateway: RunningGateway;
const lookups: string[] = [];
let rebound = false;

const lookup: LookupAll = async (hostname) => {
  lookups.push(hostname);
  if (hostname === 'api.vendor.test') return [{ address: '127.0.0.1', family: 4 }];
  // Public at the registry's check, the private service once the connection is made.
  if (hostname === 'rebind.vendor.test') {
    const answer = rebound ? '127.0.0.2' : '93.184.216.34';
    rebound = true;
    return [{ address: answer, family: 4 }];
  }
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  emulator = await startEmulator();
  internal = createServer((request, response) => {
    internalHits++;
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  // 127.0.0.2 is loopback too, but not on the allow-list (only 127.0.0.1 and api.vendor.test are).
  internalPort = await listen(internal, '127.0.0.2');
  redirector = createServer((request, response) => {
    response.writeHead(307, { location: `http://127.0.0.2:${internalPort}${request.url}` }).end();
  });
  redirectorPort = await listen(redirector, '127.0.0.1');
  gateway = await startGateway({
    config: { clients: [] },
    port: 0,
    keys: [GATEWAY_KEY],
    env: {},
    providers: PROVIDERS,
    allowUpstreams: ['127.0.0.1'],
    lookup,
    log: () => undefined,
  });
});

afterAll(async () => {
  await gateway.close();
  await emulator.close();
  internal.close();
  redirector.close();
});

const hi = [{ role: 'user', content: 'Hi' }];
const port = () => new URL(emulator.url).port;

function registry(provider: string, options: Record<string, unknown>) {
  return { client_registry: { clients: [{ name: 'Mine', provider, options }], primary: 'Mine' } };
}

describe('connection guard of request-defined clients', () => {
  for (const [provider, options] of [
    ['openai', (base: string) => ({ model: 'guarded-openai', api_key: TEST_CREDENTIALS.openai, base_url: `${base}/v1` })],
    ['anthropic', (base: string) => ({ model: 'guarded-anthropic', api_key: TEST_CREDENTIALS.anthropic, base_url: base })],
  ] as const) {
    it(`${provider}: connects to the address the guard resolved (the host exists only in its lookup)`, async () => {
      emulator.script(`guarded-${provider}`, { reply: { text: 'through the guard' } });
      const response = await post(gateway, { model: 'Mine', messages: hi, reg_options: registry(provider, options(`http://api.vendor.test:${port()}`)) });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('through the guard');
      expect(emulator.requests({ model: `guarded-${provider}` })).toHaveLength(1);
    });
  }

  it('refuses a host whose DNS answer turns private after the check (rebinding), before any request', async () => {
    lookups.length = 0;
    const before = internalHits;
    const response = await post(gateway, {
      model: 'Mine',
      messages: hi,
      reg_options: registry('anthropic', { model: 'rebound', api_key: TEST_CREDENTIALS.anthropic, base_url: `http://rebind.vendor.test:${internalPort}` }),
    });
    expect(response.status).toBeGreaterThanOrEqual(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('connection');
    // The check and the connect each asked; the second answer (a loopback address not allowed) was refused.
    expect(lookups.filter((host) => host === 'rebind.vendor.test').length).toBeGreaterThanOrEqual(2);
    expect(internalHits).toBe(before);
  });

  for (const provider of ['openai', 'anthropic'] as const) {
    it(`${provider}: a redirect to a private address is not followed there`, async () => {
      const before = internalHits;
      const base = `http://127.0.0.1:${redirectorPort}`;
      const options =
        provider === 'openai'
          ? { model: 'redirected', api_key: TEST_CREDENTIALS.openai, base_url: `${base}/v1` }
          : { model: 'redirected', api_key: TEST_CREDENTIALS.anthropic, base_url: base };
      const response = await post(gateway, { model: 'Mine', messages: hi, reg_options: registry(provider, options) });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(internalHits).toBe(before);
    });
  }

  it('a provider that does not route its connections through the guard cannot be used', async () => {
    const { defineProvider } = await import('@reg/core');
    const unguarded = defineProvider({
      name: 'unguarded',
      parseOptions: (raw) => raw,
      createModel: () => {
        throw new Error('never built');
      },
    });
    const other = await startGateway({ config: { clients: [] }, port: 0, keys: [GATEWAY_KEY], env: {}, providers: [...PROVIDERS, unguarded], log: () => undefined });
    try {
      const response = await post(other, { model: 'Mine', messages: hi, reg_options: registry('unguarded', { model: 'x' }) });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; param: string; message: string } };
      expect(body.error).toMatchObject({ code: 'config', param: 'reg_options.client_registry.clients[0].provider' });
      expect(body.error.message).toContain('does not route its connections through that check');
    } finally {
      await other.close();
    }
  });
});
