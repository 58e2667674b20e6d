import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, type HttpError } from './errors.js';

/** Reads a JSON body up to `maxBytes`; 413 above it, 400 when it is not JSON. */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks, size).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError({ status: 400, message: 'The body must be JSON.', code: 'invalid_json' });
  }
}

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError({ status: 413, message: `The body is larger than the gateway's limit of ${maxBytes} bytes.`, code: 'body_too_large' });
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function sendError(response: ServerResponse, error: HttpError, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  // A body the gateway stopped reading (too large) cannot be left on a kept-alive connection.
  if (error.status === 413) headers = { ...headers, connection: 'close' };
  sendJson(response, error.status, error.body, { ...headers, ...error.headers });
}

/** Resolves once the response can take more data (or is gone), so a slow reader holds back the stream. */
export function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
