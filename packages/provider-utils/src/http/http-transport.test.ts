import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectionGuard } from '@reg/core';
import { startBlackhole, type Blackhole } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from './http-fetch.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, HttpTransport, isConnectTimeout } from './http-transport.js';

let server: Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ path: request.url }));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A guard that allows one host name, sends it to 127.0.0.1, and records what it was asked. */
function guardFor(allowed: string): ConnectionGuard & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve: async (hostname) => {
      asked.push(hostname);
      if (hostname !== allowed) throw new Error(`${hostname} is not on the allow-list`);
      return { address: '127.0.0.1', family: 4 };
    },
  };
}

describe('HttpTransport', () => {
  it('uses the global dispatcher and httpFetch itself when there is neither a timeout nor a guard', () => {
    const transport = new HttpTransport();
    expect(transport.dispatcherFor(undefined)).toBeUndefined();
    expect(transport.fetchFor(undefined)).toBe(httpFetch);
  });

  it('keeps one pool and one fetch per connect timeout, and reuses the connection across calls', async () => {
    const transport = new HttpTransport();
    try {
      expect(transport.fetchFor(1_000)).toBe(transport.fetchFor(1_000));
      expect(transport.dispatcherFor(1_000)).toBe(transport.dispatcherFor(1_000));
      expect(transport.dispatcherFor(2_000)).not.toBe(transport.dispatcherFor(1_000));
      const before = connections;
      for (const path of ['/a', '/b', '/c']) {
        const response = await transport.fetchFor(1_000)(`http://127.0.0.1:${port}${path}`);
        expect(await response.json()).toEqual({ path });
        // undici opens a second connection for a call made before the pool has seen the first one
        // free (its drain event); a turn of the event loop between calls is what an application has.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(connections - before).toBe(1);
    } finally {
      await transport.close();
    }
  });

  it('connects only where the guard allows, to the address it resolved', async () => {
    const guard = guardFor('api.example.test');
    const transport = new HttpTransport({ guard });
    try {
      // The URL's host name never resolves by DNS here: the connection goes where the guard said.
      const response = await transport.fetchFor(undefined)(`http://api.example.test:${port}/ok`);
      expect(await response.json()).toEqual({ path: '/ok' });
      const refused = await transport.fetchFor(undefined)(`http://127.0.0.1:${port}/no`).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TypeError);
      expect((refused as TypeError).message).toBe('fetch failed');
      expect(String((refused as TypeError).cause)).toContain('127.0.0.1 is not on the allow-list');
      expect(guard.asked).toEqual(['api.example.test', '127.0.0.1']);
    } finally {
      await transport.close();
    }
  });

  describe('connect timeout', () => {
    let blackhole: Blackhole;
    beforeAll(async () => {
      blackhole = await startBlackhole();
    });
    afterAll(() => blackhole.close());

    it('gives up connecting after connectTimeoutMs, as undici connect timeout that isConnectTimeout recognises', async () => {
      const transport = new HttpTransport();
      try {
        const started = performance.now();
        const error = await transport.fetchFor(200)(`${blackhole.url}/v1/models`).catch((caught: unknown) => caught);
        const elapsed = performance.now() - started;
        expect(error).toBeInstanceOf(TypeError);
        expect(isConnectTimeout(error)).toBe(true);
        expect(elapsed).toBeGreaterThanOrEqual(150);
        expect(elapsed).toBeLessThan(DEFAULT_CONNECT_TIMEOUT_MS);
      } finally {
        await transport.close();
      }
    });

    it('bounds a guarded connect by the default when no timeout is given', () => {
      const transport = new HttpTransport({ guard: guardFor('x') });
      expect(transport.dispatcherFor(undefined)).toBeDefined();
    });
  });
});

describe('isConnectTimeout', () => {
  it('finds the code anywhere in the cause chain, and nothing else', () => {
    const timeout = Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' });
    expect(isConnectTimeout(timeout)).toBe(true);
    expect(isConnectTimeout(new TypeError('fetch failed', { cause: new Error('wrapped', { cause: timeout }) }))).toBe(true);
    expect(isConnectTimeout(new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }))).toBe(false);
    expect(isConnectTimeout('UND_ERR_CONNECT_TIMEOUT')).toBe(false);
  });
});
