import { isFault } from './script-store.js';
import { untilClosed } from './stream-frames.js';
import type { Exchange, Fault, ModelScript, Reply } from './types.js';

/**
 * Applies what every vendor does alike before its own response: the script's latency, and the
 * faults that happen below the vendor's format (reset, hang, a slow or stalled non-streamed answer).
 * Returns true when the exchange is finished and the vendor must not respond.
 */
export async function applyTransportFaults(
  exchange: Exchange,
  script: ModelScript,
  outcome: Fault | Reply,
  options: { stream: boolean },
): Promise<boolean> {
  if (script.latencyMs) await exchange.sleep(script.latencyMs);
  if (exchange.closed.aborted) return true;
  if (!isFault(outcome)) return false;
  switch (outcome.kind) {
    case 'reset':
      exchange.reset();
      return true;
    case 'hang':
      await untilClosed(exchange.closed);
      return true;
    case 'stall':
      if (options.stream) return false;
      // A non-streamed answer that starts and never completes: headers, then silence.
      exchange.response.writeHead(200, { 'content-type': 'application/json' });
      // An empty write sends the headers now rather than with a first body chunk that never comes.
      exchange.response.write('');
      await untilClosed(exchange.closed);
      return true;
    case 'slow-first-token':
      if (!options.stream) await exchange.sleep(outcome.delayMs);
      return exchange.closed.aborted;
    default:
      return false;
  }
}
