import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_KEY, setup, type Setup } from './helpers.js';

let t: Setup;
beforeAll(async () => {
  t = await setup({ limits: { maxBodyBytes: 2048 } });
});
afterAll(() => t.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POSTs a body in pieces with chunked transfer encoding (no Content-Length), as streaming clients do. */
function postInPieces(pieces: Array<string | Buffer>): Promise<RawAnswer> {
  const url = new URL(`${t.gateway.url}/v1/chat/completions`);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' } },
      (incoming) => {
        let body = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (text: string) => (body += text));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body }));
      },
    );
    outgoing.on('error', reject);
    void (async () => {
      for (const piece of pieces) {
        outgoing.write(piece);
        // Each piece leaves on its own, so the gateway reads the body in several chunks.
        await new Promise((next) => setTimeout(next, 5));
      }
      outgoing.end();
    })();
  });
}

describe('request bodies', () => {
  it('assembles a body that arrives in several pieces, a character split across them included', async () => {
    t.emulator.script('gpt-4o-mini', { reply: { text: 'pieced together' } });
    const bytes = Buffer.from(JSON.stringify({ model: 'Mini', messages: [{ role: 'user', content: 'héllo in pieces' }] }), 'utf8');
    // The first piece ends inside the two bytes of 'é'.
    const split = bytes.indexOf(Buffer.from('é', 'utf8')) + 1;
    const answer = await postInPieces([bytes.subarray(0, split), bytes.subarray(split, split + 10), bytes.subarray(split + 10)]);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).choices[0].message.content).toBe('pieced together');
    expect(t.emulator.requests({ model: 'gpt-4o-mini' }).at(-1)!.body).toMatchObject({ messages: [{ role: 'user', content: 'héllo in pieces' }] });
  });

  it('answers 413 to an oversized body that declares no length, and closes the connection', async () => {
    const before = t.emulator.requests().length;
    const big = JSON.stringify({ model: 'Mini', messages: [{ role: 'user', content: 'x'.repeat(6000) }] });
    const answer = await postInPieces([big.slice(0, 1500), big.slice(1500, 3000), big.slice(3000)]);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'body_too_large', type: 'invalid_request_error' } });
    expect(t.emulator.requests().length).toBe(before);
  });
});
