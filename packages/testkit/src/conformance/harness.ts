import { inspect } from 'node:util';
import { ClientRegistry, defineProvider, MemoryStateStore, RegError, type ChatRequest, type ConnectionGuard, type RegistryEventName } from '@reg/core';
import { startBlackhole, type Blackhole } from '../emulator/blackhole.js';
import { startEmulator, vendorBaseUrls, type RunningEmulator } from '../emulator/start-emulator.js';
import type { RecordedRequest } from '../emulator/types.js';
import { commonWireSecrets, resolveVendor } from './conformance-vendors.js';
import type { ConformanceTarget, ConformanceVendor, TestProviderOptions } from './types.js';

/** The name every client under test gets, so errors and events can be checked for it. */
export const CLIENT = 'UnderTest';

const EVENTS: RegistryEventName[] = ['attempt', 'retry', 'fallback', 'success', 'failure'];

/** Two extra attempts, no wait: enough to see one request per attempt and a retry succeed. */
const RETRY_TWICE = { max_retries: 2, strategy: { type: 'constant_delay' as const, delay_ms: 0 } };

export interface ClientSetup {
  /** `options.http` of the client (snake case, as a config spells it). */
  http?: Record<string, number>;
  /** Retry twice without waiting (default: no retries). */
  retry?: boolean;
  /** Point the client at another server than the emulator (the blackhole, a guarded host name). */
  origin?: string;
  /** The registry's connection guard (the connection-guard check). */
  connectionGuard?: ConnectionGuard;
}

export interface ClientUnderTest {
  registry: ClientRegistry;
  model: string;
  /** How many times the provider built a model for this client. */
  readonly modelsBuilt: number;
  /** Every event the registry emitted, for the secrets check. */
  events: unknown[];
  /** Requests the emulator received for this client's model. */
  requests(): RecordedRequest[];
}

/** Starts the emulator for a suite, and makes one fresh client (its own model name) per check. */
export class Harness {
  #emulator: RunningEmulator | undefined;
  #blackhole: Blackhole | undefined;
  #counter = 0;
  readonly vendor: ConformanceVendor;

  constructor(readonly options: TestProviderOptions) {
    this.vendor = resolveVendor(options.vendor);
  }

  get emulator(): RunningEmulator {
    if (!this.#emulator) throw new Error('The conformance emulator is not running (beforeAll did not run).');
    return this.#emulator;
  }

  async start(): Promise<void> {
    this.#emulator = await startEmulator({ routes: this.vendor.routes ?? [] });
  }

  async stop(): Promise<void> {
    await this.#blackhole?.close();
    await this.#emulator?.close();
  }

  /** The emulator's origin under a host name that only a connection guard can resolve. */
  guardedOrigin(host: string): string {
    const url = new URL(this.emulator.url);
    url.hostname = host;
    return url.origin;
  }

  /** A listener's origin that accepts no connection (its handshakes never complete). */
  async blackholeOrigin(): Promise<string> {
    this.#blackhole ??= await startBlackhole();
    return this.#blackhole.url;
  }

  /** What the provider's options are made from: the vendor's base URL on `origin`, and the model. */
  target(model: string, origin = this.emulator.url): ConformanceTarget {
    return { emulator: this.emulator, baseUrl: this.vendor.baseUrl(origin), baseUrls: vendorBaseUrls(origin), model };
  }

  /** A registry whose primary client uses the provider under test with a model name of its own. */
  async client(check: string, setup: ClientSetup = {}): Promise<ClientUnderTest> {
    const model = `conformance-${check}-${++this.#counter}`;
    const emulator = this.emulator;
    const raw = await this.options.options(this.target(model, setup.origin));
    let modelsBuilt = 0;
    const provider = this.options.provider;
    const counted = defineProvider({
      ...provider,
      createModel(options: unknown, context) {
        modelsBuilt++;
        return provider.createModel(options, context);
      },
    });
    const registry = new ClientRegistry({
      providers: [counted],
      env: this.options.env ?? {},
      store: new MemoryStateStore(),
      ...(setup.connectionGuard ? { connectionGuard: setup.connectionGuard } : {}),
    });
    registry.addRetryPolicy('RetryTwice', RETRY_TWICE);
    // The circuit breaker and 429 cooldowns are core's, not the provider's: off, so that a check
    // that fails a call on purpose sees its next call reach the emulator.
    const options = { circuit_breaker: false, ...raw, ...(setup.http ? { http: setup.http } : {}) };
    registry.addLlmClient(CLIENT, provider.name, options, setup.retry ? 'RetryTwice' : null);
    registry.setPrimary(CLIENT);
    const events: unknown[] = [];
    for (const name of EVENTS) registry.on(name, (event) => events.push(event));
    return {
      registry,
      model,
      get modelsBuilt() {
        return modelsBuilt;
      },
      events,
      requests: () => emulator.requests({ model }),
    };
  }

  /** Every secret that must stay out of errors and events: test keys, config secrets, what went on the wire. */
  async secrets(client: ClientUnderTest): Promise<string[]> {
    const raw = await this.options.options(this.target(client.model));
    const fromOptions = Object.entries(raw)
      .filter(([key, value]) => typeof value === 'string' && /key|secret|token|password|credential/i.test(key))
      .map(([, value]) => value as string);
    const wireSecrets = this.vendor.wireSecrets ?? commonWireSecrets;
    const all = [...this.vendor.secrets, ...(this.options.secrets ?? []), ...fromOptions, ...client.requests().flatMap((request) => wireSecrets(request))];
    // Short values (an empty key, a placeholder) would match by accident.
    return [...new Set(all)].filter((secret) => secret.length >= 8);
  }
}

export function user(text: string): ChatRequest {
  return { messages: [{ role: 'user', content: text }] };
}

/** Resolves with the error a promise rejects with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<RegError> {
  try {
    await promise;
  } catch (error) {
    if (RegError.isInstance(error)) return error;
    throw new Error(`Expected a RegError, got: ${inspect(error)}`);
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}

/** Drains a stream, returning the parts it yielded before it failed and the failure. */
export async function drainStream(stream: AsyncIterable<unknown>): Promise<{ parts: Array<Record<string, unknown>>; error: RegError | undefined }> {
  const parts: Array<Record<string, unknown>> = [];
  try {
    for await (const part of stream) parts.push(part as Record<string, unknown>);
  } catch (error) {
    if (RegError.isInstance(error)) return { parts, error };
    throw new Error(`Expected a RegError from the stream, got: ${inspect(error)}`);
  }
  return { parts, error: undefined };
}

/** Polls until the emulator saw the client close this request (abort or timeout on the client side). */
export async function waitForClientClose(client: ClientUnderTest, withinMs = 2000): Promise<RecordedRequest | undefined> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const closed = client.requests().find((request) => request.clientClosedAt !== undefined);
    if (closed || performance.now() > deadline) return closed;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Everything a user could print of an error: message, stack, JSON and a deep inspect including causes. */
export function printedForms(value: unknown): string {
  const forms = [inspect(value, { depth: 8, showHidden: false, getters: false })];
  if (value instanceof Error) forms.push(value.message, value.stack ?? '', JSON.stringify(value));
  return forms.join('\n');
}
