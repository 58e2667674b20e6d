import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from './http-fetch.js';

/** Sockets whose connection closed, by the route that opened them (for cancellation checks). */
const closedBy = new Map<string, number>();
let server: Server;
let base: string;

const ROUTES: Record<string, (request: IncomingMessage, response: ServerResponse, body: string) => void> = {
  '/json': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1', 'set-cookie': ['a=1', 'b=2'] });
    response.end(JSON.stringify({ ok: true }));
  },
  '/gzip': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    response.end(gzipSync(JSON.stringify({ compressed: true })));
  },
  '/echo': (request, response, body) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ method: request.method, type: request.headers['content-type'] ?? null, body }));
  },
  '/burst': (_request, response) => {
    // Five chunks of a chunked body in one write: one socket read on the other side.
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.socket?.cork();
    for (let index = 0; index < 5; index++) response.write(`data: ${index}\n\n`);
    response.end();
    process.nextTick(() => response.socket?.uncork());
  },
  '/redirect': (_request, response) => {
    response.writeHead(307, { location: '/echo' });
    response.end();
  },
  '/empty': (_request, response) => {
    response.writeHead(204);
    response.end();
  },
  '/cut': (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write('data: one\n\n', () => setTimeout(() => response.socket?.destroy(), 20));
  },
  '/late': (_request, response) => {
    // Headers after 2 s, then the rest of the body after another 2 s: past undici's coarse timers.
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('late ');
      setTimeout(() => response.end('but here'), 2_000);
    }, 2_000);
  },
  '/hold': (request, response) => {
    request.socket.once('close', () => closedBy.set('/hold', (closedBy.get('/hold') ?? 0) + 1));
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write('data: one\n\n');
  },
};

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (text: string) => (body += text));
    request.on('end', () => ROUTES[request.url ?? '']?.(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** Polls until `check` holds (cancellation reaches the server's socket asynchronously). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type FetchFailure = Error & { cause?: { code?: string } };

async function rejection(promise: Promise<unknown>): Promise<FetchFailure> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: FetchFailure) => error,
  );
}

// undici's fetch is the reference: httpFetch must behave as it does wherever the SDK can tell.
describe.each([
  ['undici fetch', undiciFetch as typeof httpFetch],
  ['httpFetch', httpFetch],
])('%s', (_name, fetcher) => {
  it('gives status, headers (repeated ones too) and the body', async () => {
    const response = await fetcher(`${base}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-request-id')).toBe('req_1');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('gives the chunks one socket read brought as one read', async () => {
    const response = await fetcher(`${base}/burst`);
    const reader = response.body!.getReader();
    const reads: string[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read()) reads.push(new TextDecoder().decode(read.value));
    expect(reads).toEqual(['data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n']);
  });

  it('sends the method, headers and a string or byte body as given', async () => {
    for (const body of ['{"text":"héllo"}', new TextEncoder().encode('{"text":"héllo"}')]) {
      const response = await fetcher(`${base}/echo`, { method: 'POST', headers: [['content-type', 'application/json']], body });
      expect(await response.json()).toEqual({ method: 'POST', type: 'application/json', body: '{"text":"héllo"}' });
    }
  });

  it('sends other bodies as fetch does (form data gets its content type)', async () => {
    const response = await fetcher(`${base}/echo`, { method: 'POST', body: new URLSearchParams({ a: '1' }) });
    expect(await response.json()).toEqual({ method: 'POST', type: 'application/x-www-form-urlencoded;charset=UTF-8', body: 'a=1' });
  });

  it('decodes a gzip body', async () => {
    expect(await (await fetcher(`${base}/gzip`)).json()).toEqual({ compressed: true });
  });

  it('follows a 307 with the same method and body, and returns it as it is when told not to follow', async () => {
    const followed = await fetcher(`${base}/redirect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'again' });
    expect(await followed.json()).toEqual({ method: 'POST', type: 'text/plain', body: 'again' });
    const manual = await fetcher(`${base}/redirect`, { method: 'POST', body: 'again', redirect: 'manual' });
    expect(manual.status).toBe(307);
    expect(manual.headers.get('location')).toBe('/echo');
  });

  it('gives a 204 no body, and the connection serves the next request', async () => {
    const empty = await fetcher(`${base}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    expect((await fetcher(`${base}/json`)).status).toBe(200);
  });

  it('fails to connect with TypeError: fetch failed, caused by the socket error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(fetcher(`http://127.0.0.1:${port}/json`));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
    expect(error.cause?.code).toBe('ECONNREFUSED');
  });

  it('fails a body cut mid-stream with TypeError: terminated', async () => {
    const response = await fetcher(`${base}/cut`);
    const error = await rejection(response.text());
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('terminated');
  });

  it('rejects with the abort reason, before the answer and while reading it, and closes the connection', async () => {
    const early = new AbortController();
    early.abort();
    expect(await rejection(fetcher(`${base}/json`, { signal: early.signal }))).toBe(early.signal.reason);

    const closedBefore = closedBy.get('/hold') ?? 0;
    const late = new AbortController();
    const response = await fetcher(`${base}/hold`, { signal: late.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: one\n\n');
    const pending = reader.read();
    late.abort();
    expect(await rejection(pending)).toBe(late.signal.reason);
    await until(() => (closedBy.get('/hold') ?? 0) > closedBefore);
  });

  it('closes the connection when the body is cancelled', async () => {
    const closedBefore = closedBy.get('/hold') ?? 0;
    const response = await fetcher(`${base}/hold`);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await until(() => (closedBy.get('/hold') ?? 0) > closedBefore);
  });
});

describe('httpFetch', () => {
  it("answers with Node's own Response and Headers, which the SDKs build on", async () => {
    const response = await httpFetch(`${base}/json`);
    expect(response).toBeInstanceOf(globalThis.Response);
    expect(response.headers).toBeInstanceOf(globalThis.Headers);
    // @google/genai wraps each stream event in a Response carrying the answer's headers.
    expect(new Response('{}', { headers: response.headers }).headers.get('x-request-id')).toBe('req_1');
    await response.body?.cancel();
  });

  it("waits for a slow answer past the pool's header and body timeouts: only the signal ends a call", { timeout: 15_000 }, async () => {
    // A pool that gives up after 100 ms (undici checks about once a second), as undici's own pools do after 5 minutes.
    const impatient = new Agent({ headersTimeout: 100, bodyTimeout: 100 });
    try {
      const [answered, cut] = await Promise.all([
        httpFetch(`${base}/late`, { dispatcher: impatient }).then((response) => response.text()),
        // undici's fetch on the same pool is cut, which is what httpFetch prevents.
        undiciFetch(`${base}/late`, { dispatcher: impatient }).then(
          () => 'answered',
          (error: unknown) => (error as Error).cause,
        ),
      ]);
      expect(answered).toBe('late but here');
      expect(cut).toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    } finally {
      await impatient.close();
    }
  });
});
