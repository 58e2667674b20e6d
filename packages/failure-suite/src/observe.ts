import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
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

/**
 * A 127.0.0.1 port that nothing listens on, and that no test's server will be given later. Servers
 * that listen on port 0 get ports from the kernel's ephemeral range (32768-60999 by default), so a
 * port below it that refuses a connection now stays refused for the whole run. (A port taken from
 * the kernel and released, as this did before, was handed to another test's server minutes later
 * in one run, which then answered 401 where a refusal was expected.)
 */
export async function unusedPort(): Promise<number> {
  const rangeStart = Number((await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '32768')).trim().split(/\s+/)[0]);
  const below = Math.min(Number.isFinite(rangeStart) ? rangeStart : 32768, 32768);
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * (below - 20_000));
    if (await refuses(port)) return port;
  }
  throw new Error(`no port between 20000 and ${below} refuses connections on 127.0.0.1`);
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
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
