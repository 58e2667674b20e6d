import type { RunningGateway } from '@reg/gateway';
import { describeAttempts } from '../output/describe.js';

export interface DemoRow {
  request: string;
  model: string;
  /** The gateway's `x-reg-client` header. */
  answeredBy: string;
  /** The gateway's `x-reg-attempts` header. */
  attempts: string;
  durationMs: number;
  /** Every attempt, from the gateway registry's `success` event. */
  path: string;
  reply: string;
}

interface DemoStep {
  request: string;
  model: string;
  stream?: boolean;
}

const STEPS: DemoStep[] = [
  { request: 'fallback', model: 'Resilient' },
  { request: 'Retry-After honoured', model: 'Mini' },
  { request: 'round-robin 1', model: 'Balanced' },
  { request: 'round-robin 2', model: 'Balanced' },
  { request: 'round-robin 3', model: 'Balanced' },
  { request: 'round-robin 4', model: 'Balanced' },
  { request: 'fallback, streamed', model: 'Resilient', stream: true },
];

/** Sends the demo's requests one after the other, as any OpenAI client would. */
export async function runDemoRequests(gateway: RunningGateway, onRow: (row: DemoRow) => void): Promise<DemoRow[]> {
  // Loaded here: only the demo needs the SDK.
  const { default: OpenAI } = await import('openai');
  // --insecure-local needs no gateway key, but the SDK insists on some key.
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'reg-demo', maxRetries: 0 });
  let lastPath = '';
  const unsubscribe = gateway.registry().on('success', (event) => {
    lastPath = describeAttempts(event.result.attempts);
  });
  const rows: DemoRow[] = [];
  try {
    for (const step of STEPS) {
      lastPath = '';
      const messages = [{ role: 'user' as const, content: `Say hello (${step.request}).` }];
      const startedAt = performance.now();
      let reply = '';
      let headers: Headers;
      if (step.stream) {
        const { data, response } = await client.chat.completions
          .create({ model: step.model, messages, stream: true, stream_options: { include_usage: true } })
          .withResponse();
        for await (const chunk of data) reply += chunk.choices[0]?.delta.content ?? '';
        headers = response.headers;
      } else {
        const { data, response } = await client.chat.completions.create({ model: step.model, messages }).withResponse();
        reply = data.choices[0]?.message.content ?? '';
        headers = response.headers;
      }
      const row: DemoRow = {
        request: step.request,
        model: step.model,
        answeredBy: headers.get('x-reg-client') ?? '?',
        attempts: headers.get('x-reg-attempts') ?? '?',
        durationMs: performance.now() - startedAt,
        path: lastPath || '-',
        reply: JSON.stringify(reply),
      };
      rows.push(row);
      onRow(row);
    }
  } finally {
    unsubscribe();
  }
  return rows;
}
