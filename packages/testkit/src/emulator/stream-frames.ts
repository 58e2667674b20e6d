import type { EmulatorResponse, Fault, ModelScript, Reply, StreamPlan } from './types.js';
import { isFault } from './script-store.js';

/** Writes a streamed response frame by frame, applying the outcome's pacing and faults. */
export async function streamFrames(options: {
  headers: Record<string, string>;
  plan: StreamPlan;
  script: ModelScript;
  outcome: Fault | Reply;
  response: EmulatorResponse;
  closed: AbortSignal;
  sleep: (ms: number) => Promise<void>;
  reset: () => void;
}): Promise<void> {
  const { plan, response, closed, sleep, outcome } = options;
  const fault = isFault(outcome) ? outcome : undefined;
  response.writeHead(200, options.headers);
  let contentParts = 0;
  let firstContent = true;
  for (const frame of plan.frames) {
    if (closed.aborted) return;
    if (frame.content) {
      if (firstContent && fault?.kind === 'slow-first-token') await sleep(fault.delayMs);
      if (!firstContent && fault?.kind === 'drip') await sleep(fault.intervalMs);
      firstContent = false;
      if (closed.aborted) return;
      if (fault && 'afterParts' in fault && contentParts >= fault.afterParts) {
        if (fault.kind === 'cut') return cutAfterFlush(response, options.reset);
        if (fault.kind === 'malformed' && plan.malformed) return response.end(plan.malformed());
        if (fault.kind === 'stream-error' && plan.inBandError) return response.end(plan.inBandError(fault));
        if (fault.kind === 'stall') return untilClosed(closed);
      }
      contentParts++;
    }
    response.write(frame.data);
  }
  if (closed.aborted) return;
  if (fault?.kind === 'cut') return cutAfterFlush(response, options.reset);
  if (fault?.kind === 'malformed' && plan.malformed) return response.end(plan.malformed());
  if (fault?.kind === 'stream-error' && plan.inBandError) return response.end(plan.inBandError(fault));
  if (fault?.kind === 'stall') return untilClosed(closed);
  response.end();
}

/** Resolves once the client goes away: a stalled response is never ended by the emulator. */
export function untilClosed(closed: AbortSignal): Promise<void> {
  if (closed.aborted) return Promise.resolve();
  return new Promise((resolve) => closed.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Lets what was written reach the client before the connection drops, so a cut stream is a
 * partial stream: HTTP/1.1 corks the socket until the next tick, and HTTP/2's RST_STREAM would
 * overtake DATA frames still queued.
 */
async function cutAfterFlush(response: EmulatorResponse, reset: () => void): Promise<void> {
  await new Promise<void>((resolve) => response.write('', () => resolve()));
  await new Promise((resolve) => setImmediate(resolve));
  reset();
}

/** Splits text into parts of `size` characters (at least one part, possibly empty). */
export function splitText(text: string, size = 8): string[] {
  if (text.length === 0) return [];
  const parts: string[] = [];
  for (let index = 0; index < text.length; index += size) parts.push(text.slice(index, index + size));
  return parts;
}
