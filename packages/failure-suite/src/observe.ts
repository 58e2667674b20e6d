import { createServer, type AddressInfo } from 'node:net';
import type { ChatRequest, StreamPart } from '@reg/core';

export function user(text: string): ChatRequest {
  return { messages: [{ role: 'user', content: text }] };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 5 ms until it holds; false when `withinMs` passed first. */
export async function waitUntil(check: () => boolean, withinMs = 3_000): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    if (check()) return true;
    if (performance.now() > deadline) return false;
    await sleep(5);
  }
}

/** A 127.0.0.1 port that nothing listens on: taken from the kernel, then released. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What a stream gave its caller: the text it yielded, every part, and what it threw, if anything. */
export interface DrainedStream {
  text: string;
  parts: StreamPart[];
  finish: Extract<StreamPart, { type: 'finish' }> | undefined;
  error: unknown;
}

/** Reads a registry stream to its end or its failure; `onText` sees each text part as it arrives. */
export async function drain(stream: AsyncIterable<StreamPart>, onText?: (text: string) => void): Promise<DrainedStream> {
  const drained: DrainedStream = { text: '', parts: [], finish: undefined, error: undefined };
  try {
    for await (const part of stream) {
      drained.parts.push(part);
      if (part.type === 'text-delta') {
        drained.text += part.text;
        onText?.(part.text);
      }
      if (part.type === 'finish') drained.finish = part;
    }
  } catch (error) {
    drained.error = error;
  }
  return drained;
}
