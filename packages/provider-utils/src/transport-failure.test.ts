import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBlackhole } from '@reg/testkit';
import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from './http/http-fetch.js';
import { HttpTransport } from './http/http-transport.js';
import { ConnectDeadlineExceeded, classifyTransportFailure, transportError } from './transport-failure.js';

const context = { client: 'Fast', provider: 'acme', model: 'acme-1' };

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/reset') return request.socket.destroy();
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write('data: one\n\n', () => setTimeout(() => response.socket?.destroy(), 10));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A port nothing listens on: taken from the kernel, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

// Real failures from real sockets, through both fetches the providers use: one classification.
describe.each([
  ['undici fetch', undiciFetch as unknown as typeof httpFetch],
  ['httpFetch', httpFetch],
])('classifies what %s throws', (_name, fetcher) => {
  it('a refused connection', async () => {
    const error = await failureOf(fetcher(`http://127.0.0.1:${await closedPort()}/`));
    expect(classifyTransportFailure(error)).toMatchObject({ kind: 'refused', code: 'ECONNREFUSED' });
  });

  it('a connection reset before the answer', async () => {
    const error = await failureOf(fetcher(`${base}/reset`));
    expect(classifyTransportFailure(error)?.kind).toMatch(/^(reset|closed)$/);
  });

  it('a body cut mid-stream', async () => {
    const response = await fetcher(`${base}/cut`);
    const error = await failureOf(response.text());
    expect(classifyTransportFailure(error)?.kind).toMatch(/^(reset|closed)$/);
  });

  it('a TLS handshake with a server that does not speak TLS', async () => {
    const error = await failureOf(fetcher(base.replace('http:', 'https:')));
    expect(classifyTransportFailure(error)).toMatchObject({ kind: 'tls' });
  });
});

describe('classifyTransportFailure', () => {
  it("finds undici's connect timeout (a listener that never completes the handshake)", async () => {
    const blackhole = await startBlackhole();
    const transport = new HttpTransport();
    try {
      const error = await failureOf(transport.fetchFor(200)(blackhole.url));
      expect(classifyTransportFailure(error)).toMatchObject({ kind: 'connect-timeout', code: 'UND_ERR_CONNECT_TIMEOUT' });
    } finally {
      await transport.close();
      await blackhole.close();
    }
  });

  it("reads the same failure whether Node, undici or an SDK's wrapper carries it", () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND api.acme.test'), { code: 'ENOTFOUND' });
    const cases: Array<[unknown, string]> = [
      [new TypeError('fetch failed', { cause: dns }), 'dns'],
      [new Error('Connection error.', { cause: new TypeError('fetch failed', { cause: dns }) }), 'dns'],
      [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'reset'],
      // Only the words are left (a wrapper that copied the message): the code in them still tells.
      [new Error('request to https://api.acme.test failed, reason: read ECONNRESET'), 'reset'],
      [Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'reset'],
      [Object.assign(new Error('The socket was closed'), { code: 'UND_ERR_CLOSED' }), 'closed'],
      [new TypeError('terminated'), 'closed'],
      [new Error('socket hang up'), 'closed'],
      [Object.assign(new Error('Stream closed with error code NGHTTP2_REFUSED_STREAM'), { code: 'ERR_HTTP2_STREAM_ERROR' }), 'reset'],
      [Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }), 'tls'],
      [Object.assign(new Error('connect EHOSTUNREACH 10.0.0.9:443'), { code: 'EHOSTUNREACH' }), 'unreachable'],
      [Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'headers-timeout'],
      [Object.assign(new Error('Body Timeout Error'), { code: 'UND_ERR_BODY_TIMEOUT' }), 'body-timeout'],
      [Object.assign(new Error('Connect Timeout Error'), { name: 'ConnectTimeoutError' }), 'connect-timeout'],
      // Bun's fetch.
      [Object.assign(new Error('Unable to connect. Is the computer able to access the url?'), { code: 'ConnectionRefused' }), 'refused'],
      [Object.assign(new Error('The socket connection was closed unexpectedly.'), { code: 'ConnectionClosed' }), 'closed'],
      [Object.assign(new Error('Was there a typo in the url or port?'), { code: 'FailedToOpenSocket' }), 'unreachable'],
      // A provider's own (the Anthropic SDK keeps such an error whole, as the thrown value of its connection error).
      [new Error('Connection error.', { cause: new ConnectDeadlineExceeded({ timeoutMs: 250, authority: 'api.acme.test' }) }), 'connect-timeout'],
    ];
    for (const [error, kind] of cases) expect(classifyTransportFailure(error)?.kind, String(error)).toBe(kind);
  });

  it('is undefined for what is not a transport failure, and survives a cause cycle', () => {
    expect(classifyTransportFailure(new SyntaxError('Unexpected token < in JSON'))).toBeUndefined();
    expect(classifyTransportFailure(new Error('400 Bad Request'))).toBeUndefined();
    const looped = new Error('outer');
    (looped as { cause?: unknown }).cause = looped;
    expect(classifyTransportFailure(looped)).toBeUndefined();
  });
});

describe('transportError', () => {
  it('makes a connect timeout a retryable TimeoutError naming the client and what to check', () => {
    const error = transportError(Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), { ...context, endpointOption: 'endpoint_url' });
    expect(error).toMatchObject({ code: 'timeout', timeout: 'connect_timeout_ms', retryable: true, client: 'Fast', provider: 'acme', model: 'acme-1' });
    expect(error?.message).toMatch(/^Client 'Fast' \(acme, model acme-1\): no connection within connect_timeout_ms\. Check endpoint_url and the network\./);
  });

  it('makes every other transport failure a retryable connection error, with its code', () => {
    const error = transportError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }), context);
    expect(error).toMatchObject({ code: 'connection', retryable: true });
    expect(error?.message).toBe("Client 'Fast' (acme, model acme-1): the connection was refused (ECONNREFUSED). Check base_url and the network.");
    expect(transportError(new Error('a vendor said no'), context)).toBeUndefined();
  });
});
