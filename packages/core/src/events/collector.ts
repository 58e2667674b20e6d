import type { RegistryEvents } from './events.js';

export interface ClientStats {
  /** Calls made to this client (as the requested client). */
  calls: number;
  successes: number;
  failures: number;
  /** Attempts on this client as a leaf. */
  attempts: number;
  failedAttempts: number;
  /** Usage of the calls this leaf client answered. */
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cachedInputTokens: number;
}

interface Observable {
  on<Name extends keyof RegistryEvents>(name: Name, handler: (event: RegistryEvents[Name]) => void): () => void;
}

/** Sums calls, attempts and token usage per client from a registry's events. */
export class Collector {
  readonly #stats = new Map<string, ClientStats>();

  /** Starts counting a registry's calls; returns a function that stops. */
  observe(registry: Observable): () => void {
    const stops = [
      registry.on('attempt', ({ attempt }) => {
        const stats = this.#entry(attempt.client);
        stats.attempts++;
        if (attempt.status === 'failure') stats.failedAttempts++;
      }),
      registry.on('success', ({ client, result }) => {
        this.#entry(client).calls++;
        this.#entry(client).successes++;
        const leaf = this.#entry(result.client);
        leaf.inputTokens += result.usage.inputTokens;
        leaf.outputTokens += result.usage.outputTokens;
        leaf.totalTokens += result.usage.totalTokens;
        leaf.cachedInputTokens += result.usage.cachedInputTokens ?? 0;
      }),
      registry.on('failure', ({ client }) => {
        this.#entry(client).calls++;
        this.#entry(client).failures++;
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /** A snapshot per client name. */
  stats(): Record<string, ClientStats> {
    return Object.fromEntries([...this.#stats].map(([name, stats]) => [name, { ...stats }]));
  }

  reset(): void {
    this.#stats.clear();
  }

  #entry(client: string): ClientStats {
    let stats = this.#stats.get(client);
    if (!stats) {
      stats = { calls: 0, successes: 0, failures: 0, attempts: 0, failedAttempts: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 0 };
      this.#stats.set(client, stats);
    }
    return stats;
  }
}
