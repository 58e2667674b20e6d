import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

/** A TCP address where connecting never completes, for testing connect timeouts offline. */
export interface Blackhole {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/*
 * A listener whose owner never calls accept(): once its accept queue (backlog 1) is full, the
 * kernel drops further SYNs, so a client stays in SYN-SENT until its own connect timeout fires.
 * The listener lives on a worker thread that blocks right after listening; the main thread then
 * fills the queue. Only loopback is used, so no packet leaves the machine.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:net');
const flag = new Int32Array(workerData);
const server = createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  setImmediate(() => {
    while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 50);
    server.close();
  });
});
`;

/** Fills the accept queue: backlog 1 holds two completed handshakes; more only make sure. */
const FILLERS = 4;

export async function startBlackhole(): Promise<Blackhole> {
  const shared = new SharedArrayBuffer(4);
  const flag = new Int32Array(shared);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: shared });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (value: number) => resolve(value));
    worker.once('error', reject);
  });
  const fillers: Socket[] = [];
  // The queue is full once two handshakes complete; wait for them before anyone else connects.
  await new Promise<void>((resolve) => {
    let connected = 0;
    const timer = setTimeout(resolve, 1000);
    for (let index = 0; index < FILLERS; index++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.once('connect', () => {
        if (++connected === 2) {
          clearTimeout(timer);
          resolve();
        }
      });
      fillers.push(socket);
    }
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      for (const socket of fillers) socket.destroy();
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await worker.terminate();
    },
  };
}
