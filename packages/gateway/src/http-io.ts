import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, type HttpError } from './errors.js';

/**
 * Reads a JSON body up to `maxBytes`; 413 above it, 400 when it is not JSON. Listens for the
 * stream's events rather than iterating it: an async iterator per request costs more than the read.
 */
export function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        // Reading stops here, but the connection stays up long enough to carry the 413 (which
        // closes it: see sendError). Destroying the request would take the socket with it.
        request.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new GatewayError({ status: 400, message: 'The body must be JSON.', code: 'invalid_json' }));
      }
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    // A caller that goes away mid-body ends the read (the response's close handler cancels the rest).
    const onClose = () => {
      stop();
      reject(new GatewayError({ status: 400, message: 'The request body ended before it was complete.', code: 'incomplete_body' }));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
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
