import { Worker } from 'node:worker_threads';
import { defineProvider, type ModelStreamPart } from '@reg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/index.js';

/** How long converting "the rest of the stream" keeps the gateway's thread busy. */
const BUSY_MS = 600;
let busy: { startedAt: number; endedAt: number } | undefined;

/**
 * A provider whose whole answer is there at once, as when an upstream's stream arrives in one
 * piece: after the first part, the next ones come in the same tick, and converting them takes
 * BUSY_MS of CPU (a busy wait stands in for a long burst of parts). Not a vendor SDK: the gateway
 * treats every provider alike, and only a provider can make the burst's length certain.
 */
const burst = defineProvider<{ model: string }>({
  name: 'burst',
  parseOptions: (raw) => ({ model: String(raw.model) }),
  createModel: (options) => ({
    provider: 'burst',
    model: options.model,
    doGenerate: () => Promise.reject(new Error('burst only streams')),
    async *doStream(): AsyncGenerator<ModelStreamPart> {
      yield { type: 'text-delta', text: 'first' };
      const startedAt = Date.now();
      while (Date.now() - startedAt < BUSY_MS) {
        // Busy: this thread cannot send anything until it is done.
      }
      busy = { startedAt, endedAt: Date.now() };
      yield { type: 'text-delta', text: ' and the rest' };
      yield { type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 4, totalTokens: 5 } };
    },
  }),
});

/**
 * The client runs in a worker thread, so it reads the socket while the gateway's thread is busy.
 * It reports when the first content arrived and the whole text.
 */
const CLIENT = `
const { request } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const outgoing = request(workerData.url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (incoming) => {
  let raw = '';
  let firstContentAt;
  incoming.setEncoding('utf8');
  incoming.on('data', (text) => {
    raw += text;
    if (firstContentAt === undefined && raw.includes('"content":"first"')) firstContentAt = Date.now();
  });
  incoming.on('end', () => parentPort.postMessage({ status: incoming.statusCode, firstContentAt, raw }));
});
outgoing.end(JSON.stringify({ model: 'Burst', messages: [{ role: 'user', content: 'Hi' }], stream: true }));
`;

let gateway: RunningGateway;
beforeAll(async () => {
  gateway = await startGateway({
    config: { primary: 'Burst', clients: [{ name: 'Burst', provider: 'burst', options: { model: 'burst-1' } }] },
    port: 0,
    insecureLocal: true,
    providers: [burst],
    log: () => undefined,
  });
});
afterAll(() => gateway.close());

describe('SSE flushing', () => {
  it('sends the first content at once, before the rest of a burst has been converted', async () => {
    const worker = new Worker(CLIENT, { eval: true, workerData: { url: `${gateway.url}/v1/chat/completions` } });
    const answer = await new Promise<{ status: number; firstContentAt?: number; raw: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    const text = answer.raw
      .split('\n\n')
      .filter((event) => event.startsWith('data: {'))
      .map((event) => (JSON.parse(event.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '')
      .join('');
    expect(answer.status).toBe(200);
    expect(text).toBe('first and the rest');
    expect(busy).toBeDefined();
    // Held back until the tick ends, the first content could not arrive before the busy wait ended.
    expect(answer.firstContentAt).toBeLessThan(busy!.endedAt);
  });
});
