/**
 * The failure table through @reg/gateway: the same rows, a gateway per row (its own state store)
 * on 127.0.0.1, plain fetch as the HTTP client, `POST /v1/chat/completions` as JSON and as SSE.
 * A caller abort is the HTTP client going away; the emulator must see the upstream request close.
 */
import { MemoryStateStore, type Attempt, type ErrorCode } from '@reg/core';
import { startGateway, type RunningGateway } from '@reg/gateway';
import { startEmulator, vendorBaseUrls, type RunningEmulator, type VendorBaseUrls } from '@reg/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { warmUp } from '../src/chaos-run.js';
import { sleep, unusedPort, waitUntil } from '../src/observe.js';
import { PROVIDERS, type VendorName } from '../src/vendors.js';
import { answerOf, type BreakerEvent, type Mode, type Step } from './failure-table.js';
import {
  checkAttempts,
  describeRows,
  checkBreakerEvents,
  checkUpstream,
  expectNoSecrets,
  expectStrictPrefix,
  modelNames,
  rowConfig,
  scriptLeaves,
  type RowRun,
} from './row-checks.js';

const GATEWAY_KEY = 'failure-suite-gateway-key';
const GATEWAY_VENDORS: readonly VendorName[] = ['openai', 'anthropic'];
const ROW_TIMEOUT_MS = 20_000;

/** The status the gateway documents for each error code (packages/gateway/README.md, "Errors"). */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  invalid_request: 400,
  context_length: 400,
  content_filter: 400,
  auth: 502,
  not_found: 404,
  rate_limited: 429,
  quota: 429,
  timeout: 504,
  server: 502,
  connection: 502,
  overloaded: 503,
  stream_interrupted: 502,
  // Undocumented; a skipped client is unavailable for now, and says until when.
  circuit_open: 503,
};

const FINISH_REASONS: Record<string, string> = { stop: 'stop', length: 'length', 'tool-calls': 'tool_calls', 'content-filter': 'content_filter' };

let emulator: RunningEmulator;
let refusedBaseUrls: VendorBaseUrls;

beforeAll(async () => {
  emulator = await startEmulator();
  refusedBaseUrls = vendorBaseUrls(`http://127.0.0.1:${await unusedPort()}`);
  // SDK set-up on a process's first calls must not eat into the rows' small timeouts.
  await warmUp(emulator, GATEWAY_VENDORS);
});
afterAll(() => emulator.close());

describeRows({ label: 'gateway', vendors: GATEWAY_VENDORS, modeTitle: (mode) => (mode === 'stream' ? 'SSE' : 'JSON'), timeoutMs: ROW_TIMEOUT_MS, run: runRow });

/** What the HTTP client got. */
interface HttpOutcome {
  status?: number;
  headers?: Headers;
  /** The JSON body of a non-streamed answer or of an error. */
  json?: Record<string, any>;
  /** SSE: the text of the content deltas, the last finish reason, the in-band error, and whether `[DONE]` came. */
  text: string;
  finishReason?: string | null;
  streamError?: Record<string, any>;
  done: boolean;
  /** The fetch itself failed (the caller aborted). */
  fetchError?: unknown;
  calledAt: number;
  settledAt: number;
  abortedAt?: number;
}

async function runRow(input: RowRun): Promise<void> {
  const { vendor, row, mode, setup } = input;
  const models = modelNames(row, vendor, mode, setup);
  scriptLeaves(emulator, setup, models);
  const { config, target } = rowConfig({ vendor, setup, models, baseUrls: emulator.baseUrls, refusedBaseUrls });
  const logs: Array<Record<string, unknown>> = [];
  const gateway = await startGateway({
    config,
    port: 0,
    host: '127.0.0.1',
    keys: [GATEWAY_KEY],
    providers: [...PROVIDERS],
    store: new MemoryStateStore(),
    env: {},
    log: (entry) => logs.push(entry),
  });
  try {
    const registry = gateway.registry();
    const attempts: Attempt[] = [];
    const breakerEvents: BreakerEvent[] = [];
    const failures: Array<{ code: ErrorCode; at: number }> = [];
    registry.on('attempt', (event) => attempts.push(event.attempt));
    registry.on('breaker', ({ client, from, to }) => breakerEvents.push({ client, from, to }));
    registry.on('failure', (event) => failures.push({ code: event.error.code, at: performance.now() }));
    for (const step of row.steps) {
      if (step.waitBeforeMs) await sleep(step.waitBeforeMs);
      attempts.length = 0;
      failures.length = 0;
      const outcome = await post({ gateway, target, mode, step, firstModel: models[Object.keys(setup.leaves)[0]!]! });
      if (step.abort) {
        // The HTTP client is gone at once; the gateway's call ends when it notices.
        expect(await waitUntil(() => failures.length > 0, 3_000), 'the gateway never ended the call').toBe(true);
        expect(failures[0]!.code).toBe('aborted');
        outcome.settledAt = failures[0]!.at;
      }
      checkOutcome({ outcome, step, mode, attempts });
      checkAttempts(attempts, step.expect.attempts, setup);
      checkBreakerEvents(breakerEvents, step.expect.breakerEvents);
      await checkUpstream({ emulator, models, step, seen: outcome });
    }
    expectNoSecrets(logs, 'a gateway log line');
  } finally {
    await gateway.close();
  }
}

async function post(input: { gateway: RunningGateway; target: string; mode: Mode; step: Step; firstModel: string }): Promise<HttpOutcome> {
  const { gateway, target, mode, step } = input;
  const controller = new AbortController();
  const outcome: HttpOutcome = { text: '', done: false, calledAt: performance.now(), settledAt: 0 };
  let settled = false;
  const abort = () => {
    if (settled || controller.signal.aborted) return;
    outcome.abortedAt = performance.now();
    controller.abort();
  };
  if (step.abort === 'before-headers' || step.abort === 'in-backoff') {
    const delayMs = step.abort === 'before-headers' ? 50 : 150;
    void waitUntil(() => settled || emulator.requests({ model: input.firstModel }).length > 0).then(() => setTimeout(abort, delayMs));
  }
  try {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: target, messages: [{ role: 'user', content: 'Hi' }], stream: mode === 'stream' }),
      signal: controller.signal,
    });
    outcome.status = response.status;
    outcome.headers = response.headers;
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      await readEvents(response, outcome, () => {
        if (step.abort === 'mid-stream') abort();
      });
    } else {
      outcome.json = (await response.json()) as Record<string, any>;
    }
  } catch (error) {
    outcome.fetchError = error;
  }
  settled = true;
  outcome.settledAt = performance.now();
  return outcome;
}

/** Reads an SSE body event by event; `onText` runs after each content delta. */
async function readEvents(response: Response, outcome: HttpOutcome, onText: () => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').find((line) => line.startsWith('data: '))?.slice(6);
      if (data === undefined) continue;
      expect(outcome.done, 'an event came after data: [DONE]').toBe(false);
      if (data === '[DONE]') {
        outcome.done = true;
        continue;
      }
      const json = JSON.parse(data) as Record<string, any>;
      if (json.error) {
        outcome.streamError = json.error;
        continue;
      }
      const choice = json.choices?.[0];
      if (choice?.finish_reason) outcome.finishReason = choice.finish_reason;
      if (typeof choice?.delta?.content === 'string' && choice.delta.content !== '') {
        outcome.text += choice.delta.content;
        onText();
      }
    }
  }
}

function checkOutcome(input: { outcome: HttpOutcome; step: Step; mode: Mode; attempts: Attempt[] }): void {
  const { outcome, step, mode, attempts } = input;
  const expected = step.expect;
  if (expected.answer) {
    const by = expected.answer.by;
    expect(outcome.fetchError).toBeUndefined();
    expect(outcome.status, JSON.stringify(outcome.json)).toBe(200);
    expect(outcome.headers!.get('x-reg-client')).toBe(by);
    expect(outcome.headers!.get('x-reg-attempts')).toBe(String(attempts.length));
    const finishReason = FINISH_REASONS[expected.answer.finishReason ?? 'stop'];
    if (mode === 'generate') {
      expect(outcome.json!.choices[0].message.content).toBe(answerOf(by));
      expect(outcome.json!.choices[0].finish_reason).toBe(finishReason);
    } else {
      expect(outcome.text).toBe(answerOf(by));
      expect(outcome.finishReason).toBe(finishReason);
      expect(outcome.streamError).toBeUndefined();
      expect(outcome.done, 'the stream did not end with data: [DONE]').toBe(true);
    }
    return;
  }
  const failure = expected.error!;
  if (failure.code === 'aborted') {
    expect(outcome.abortedAt, 'the abort trigger never fired').toBeDefined();
    expect((outcome.fetchError as Error | undefined)?.name, 'the HTTP client saw its own abort').toBe('AbortError');
    if (failure.prefixOf) expectStrictPrefix(outcome.text, answerOf(failure.prefixOf));
    return;
  }
  if (failure.code === 'stream_interrupted') {
    // Headers went out with the first content: the failure is OpenAI's in-band error event.
    expect(outcome.status).toBe(200);
    expectStrictPrefix(outcome.text, answerOf(failure.prefixOf!));
    expect(outcome.streamError?.code).toBe('stream_interrupted');
    expect(outcome.done, 'an interrupted stream ended with data: [DONE] as if complete').toBe(false);
    expect(outcome.finishReason ?? null, 'an interrupted stream reported a finish reason').toBeNull();
    return;
  }
  expect(outcome.fetchError).toBeUndefined();
  const body = outcome.json!;
  expect(body.error?.code, JSON.stringify(body)).toBe(failure.code);
  const decisive = failure.code === 'all_failed' ? attempts.at(-1)?.code : failure.code;
  expect(outcome.status, `status for ${failure.code} (last member: ${decisive}): ${JSON.stringify(body)}`).toBe(STATUS_BY_CODE[decisive!]);
  if ((outcome.status === 429 || outcome.status === 503) && attempts.at(-1)?.retryAfterMs !== undefined) {
    // A client skipped until later tells the caller when to come back.
    expect(outcome.headers!.get('retry-after'), 'retry-after').toMatch(/^[1-9]\d*$/);
  }
  expect(outcome.text).toBe('');
}
