import type { ClientRegistry } from '@reg/core';

const BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

type Labels = Record<string, string>;

class Counter {
  readonly #values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels, by = 1): void {
    const key = labelText(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }

  render(): string {
    let text = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const [labels, value] of this.#values) text += `${this.name}${labels} ${value}\n`;
    return text;
  }
}

class Histogram {
  readonly #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string) {}

  observe(labels: Labels, seconds: number): void {
    const key = labelText(labels);
    let series = this.#series.get(key);
    if (!series) this.#series.set(key, (series = { labels, counts: BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 }));
    for (let index = 0; index < BUCKETS_SECONDS.length; index++) if (seconds <= BUCKETS_SECONDS[index]!) series.counts[index]!++;
    series.sum += seconds;
    series.count++;
  }

  render(): string {
    let text = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const [labels, series] of this.#series) {
      BUCKETS_SECONDS.forEach((bound, index) => {
        text += `${this.name}_bucket${labelText({ ...series.labels, le: String(bound) })} ${series.counts[index]}\n`;
      });
      text += `${this.name}_bucket${labelText({ ...series.labels, le: '+Inf' })} ${series.count}\n`;
      text += `${this.name}_sum${labels} ${series.sum}\n${this.name}_count${labels} ${series.count}\n`;
    }
    return text;
  }
}

/**
 * The gateway's Prometheus metrics. Labels carry client names only: never keys, messages or the
 * raw `model` a caller sent (which would let callers invent label values without bound).
 */
export class GatewayMetrics {
  readonly requests = new Counter('reg_requests_total', 'Chat completion requests answered, by client and HTTP status.');
  readonly attempts = new Counter('reg_attempts_total', 'Upstream attempts, by leaf client and outcome.');
  readonly retries = new Counter('reg_retries_total', 'Retries on the same client.');
  readonly fallbacks = new Counter('reg_fallbacks_total', 'Moves from one strategy member to the next, by strategy client.');
  readonly errors = new Counter('reg_errors_total', 'Failed requests, by client and error code.');
  readonly tokens = new Counter('reg_tokens_total', 'Tokens reported by upstreams, by client and type (input, output, cached_input).');
  readonly duration = new Histogram('reg_request_duration_seconds', 'Time from request to the end of the response.');
  readonly firstToken = new Histogram('reg_time_to_first_token_seconds', 'Time from request to the first streamed content.');

  /** Counts a registry's attempts, retries, fallbacks and tokens; `label` maps its client names to label values. */
  observe(registry: ClientRegistry, label: (client: string) => string): () => void {
    const off = [
      registry.on('attempt', ({ attempt }) => this.attempts.inc({ client: label(attempt.client), status: attempt.status })),
      registry.on('retry', ({ client }) => this.retries.inc({ client: label(client) })),
      registry.on('fallback', ({ client }) => this.fallbacks.inc({ client: label(client) })),
      registry.on('success', ({ result }) => {
        const client = label(result.client);
        this.tokens.inc({ client, type: 'input' }, result.usage.inputTokens);
        this.tokens.inc({ client, type: 'output' }, result.usage.outputTokens);
        if (result.usage.cachedInputTokens) this.tokens.inc({ client, type: 'cached_input' }, result.usage.cachedInputTokens);
      }),
    ];
    return () => off.forEach((unsubscribe) => unsubscribe());
  }

  render(): string {
    return [this.requests, this.attempts, this.retries, this.fallbacks, this.errors, this.tokens, this.duration, this.firstToken]
      .map((metric) => metric.render())
      .join('');
  }
}

/** Characters Prometheus wants escaped in a label value; client names rarely have any. */
const NEEDS_ESCAPE = /[\\"\n]/;

// Runs several times per request: a plain loop, and escaping only when a value needs it.
function labelText(labels: Labels): string {
  let text = '';
  for (const name in labels) {
    const value = labels[name]!;
    const escaped = NEEDS_ESCAPE.test(value) ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : value;
    text += `${text === '' ? '{' : ','}${name}="${escaped}"`;
  }
  return text === '' ? '' : `${text}}`;
}
