import { isFault } from './script-store.js';
import type { Exchange, Fault, ModelScript, Reply } from './types.js';

/**
 * Applies what every vendor does alike before its own response: the script's latency, and the
 * faults that happen below the vendor's format (reset, hang, a slow non-streamed answer).
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
      await new Promise<void>((resolve) => exchange.closed.addEventListener('abort', () => resolve(), { once: true }));
      return true;
    case 'slow-first-token':
      if (!options.stream) await exchange.sleep(outcome.delayMs);
      return exchange.closed.aborted;
    default:
      return false;
  }
}
