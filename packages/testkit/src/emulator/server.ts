import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { formatRequestLog, type FormatRequestLogOptions } from './request-log.js';
import { ScriptStore } from './script-store.js';
import { streamFrames } from './stream-frames.js';
import type { Exchange, ModelScript, RecordedRequest, Vendor, VendorRoute } from './types.js';

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** The vendor routes to serve; default: every vendor testkit emulates. */
  routes: VendorRoute[];
  /** Called as each request arrives (after its body is read), e.g. to print a live log. */
  onRequest?: (request: RecordedRequest) => void;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Scripts the behaviour of one model name (the upstream's identity); replaces any earlier script. */
  script(model: string, script: ModelScript): void;
  /** Every request received so far, oldest first, optionally only those for one model or vendor. */
  requests(filter?: { model?: string; vendor?: Vendor }): RecordedRequest[];
  /** The recorded requests as text with every credential redacted (see `formatRequestLog`). */
  log(filter?: { model?: string; vendor?: Vendor }, options?: FormatRequestLogOptions): string;
  /** Forgets scripts and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * One server for every vendor: HTTP/1.1 and cleartext HTTP/2 on the same port (recent AWS SDKs
 * speak HTTP/2 by prior knowledge), told apart by the connection preface.
 */
export async function startServer(options: EmulatorOptions): Promise<Emulator> {
  const scripts = new ScriptStore();
  const recorded: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const connectionIds = new WeakMap<object, number>();
  let nextConnectionId = 1;

  // The HTTP/2 compatibility API mirrors HTTP/1.1's; handlers use the one shape.
  const handle = (req: IncomingMessage | Http2ServerRequest, response: ServerResponse | Http2ServerResponse) => {
    const res = response as ServerResponse;
    void dispatch(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `emulator failure: ${String(error)}` } }));
      } else {
        res.destroy();
      }
    });
  };

  const dispatch = async (req: IncomingMessage | Http2ServerRequest, res: ServerResponse) => {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    // HTTP/2 hands each request a new socket proxy; its session is the connection.
    const connection: object = (req as Http2ServerRequest).stream?.session ?? req.socket;
    let connectionId = connectionIds.get(connection);
    if (connectionId === undefined) {
      connectionId = nextConnectionId++;
      connectionIds.set(connection, connectionId);
    }
    let route: VendorRoute | undefined;
    let params: Record<string, string> = {};
    for (const candidate of options.routes) {
      if (candidate.method !== req.method) continue;
      const match = candidate.pattern.exec(url.pathname);
      if (!match) continue;
      route = candidate;
      params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]));
      break;
    }
    const request: RecordedRequest = {
      vendor: route?.vendor ?? 'openai',
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: parseJson(rawBody, req.headers['content-type']),
      rawBody,
      httpVersion: req.httpVersion,
      receivedAt: performance.now(),
      connectionId,
    };
    recorded.push(request);
    options.onRequest?.(request);
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `emulator: no route for ${req.method} ${url.pathname}` } }));
      return;
    }
    const closed = new AbortController();
    res.on('close', () => {
      // writableEnded, not writableFinished: an HTTP/2 response reads as finished once its stream is reset.
      if (!res.writableEnded && !resetByEmulator.has(res)) request.clientClosedAt = performance.now();
      closed.abort();
    });
    const exchange = createExchange({ request, params, res, closed: closed.signal, scripts });
    await route.handle(exchange);
  };

  const http1 = createHttpServer({ keepAlive: true }, handle);
  const http2 = createHttp2Server({}, handle);
  // Sockets handed on from a net server get no TCP_NODELAY of their own: without it, dripped stream parts could wait on Nagle.
  const server = createNetServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const head: Buffer | null = socket.read(HTTP2_PREFACE.length) ?? socket.read();
      if (head) socket.unshift(head);
      const target = head && head.subarray(0, HTTP2_PREFACE.length).equals(HTTP2_PREFACE) ? http2 : http1;
      target.emit('connection', socket);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const requests = (filter?: { model?: string; vendor?: Vendor }) =>
    recorded.filter((request) => (!filter?.model || request.model === filter.model) && (!filter?.vendor || request.vendor === filter.vendor));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    script: (model, script) => scripts.set(model, script),
    requests,
    log: (filter, logOptions) => formatRequestLog(requests(filter), logOptions),
    reset: () => {
      scripts.clear();
      recorded.length = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      http1.close();
      http2.close();
    },
  };
}

function createExchange(input: {
  request: RecordedRequest;
  params: Record<string, string>;
  res: ServerResponse;
  closed: AbortSignal;
  scripts: ScriptStore;
}): Exchange {
  const { request, params, res, closed, scripts } = input;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || closed.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        closed.removeEventListener('abort', done);
        resolve();
      }
      closed.addEventListener('abort', done, { once: true });
    });
  const response = res as unknown as Exchange['response'];
  return {
    request,
    params,
    response,
    closed,
    sleep,
    take(model) {
      request.model = model;
      return scripts.take(model, request);
    },
    json(status, body, headers = {}) {
      if (closed.aborted) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    },
    reset: () => destroyExchange(res),
    stream: (options) => streamFrames({ ...options, response, closed, sleep, reset: () => destroyExchange(res) }),
  };
}

/** Responses the emulator itself dropped (a scripted fault), so their close is not the client's doing. */
const resetByEmulator = new WeakSet<ServerResponse>();

/** Drops the exchange without a proper end: the socket for HTTP/1.1, only the stream for HTTP/2. */
function destroyExchange(res: ServerResponse): void {
  resetByEmulator.add(res);
  const stream = (res as unknown as Partial<Http2ServerResponse>).stream;
  if (stream) stream.close(0x2 /* INTERNAL_ERROR */);
  else res.socket?.destroy();
}

function readBody(req: IncomingMessage | Http2ServerRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  if (contentType && !contentType.includes('json')) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
