/**
 * `@reg/testkit/vitest`: what a provider package's own tests need beyond the conformance suite,
 * in one place instead of a copy per package. Import it only from vitest files.
 */
import type { CallOptions, ChatModel, ChatRequest, ConnectionGuard, HttpTimeouts, ModelProvider, ProviderContext } from '@reg/core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from './emulator/start-emulator.js';

/** Starts one emulator for the file, and forgets its scripts and recorded requests between tests. */
export function useEmulator(options: StartEmulatorOptions = {}): { readonly current: RunningEmulator } {
  const holder = {} as { current: RunningEmulator };
  beforeAll(async () => {
    holder.current = await startEmulator(options);
  });
  afterAll(() => holder.current.close());
  beforeEach(() => holder.current.reset());
  return holder;
}

/** The context the registry gives a provider: client `Test`, options at `clients[0].options`, an empty environment. */
export function providerContext(overrides: Partial<ProviderContext> = {}): ProviderContext {
  return { client: 'Test', path: 'clients[0].options', env: {}, http: {}, ...overrides };
}

/** Parses the options and builds the model, as the registry does (`http`: the client's `options.http`, in core's names). */
export function buildModel<Options>(
  provider: ModelProvider<Options>,
  raw: Record<string, unknown>,
  setup: { env?: Record<string, string | undefined>; http?: HttpTimeouts; connectionGuard?: ConnectionGuard; client?: string } = {},
): ChatModel {
  const context = providerContext({
    ...(setup.env ? { env: setup.env } : {}),
    ...(setup.http ? { http: setup.http } : {}),
    ...(setup.connectionGuard ? { connectionGuard: setup.connectionGuard } : {}),
    ...(setup.client ? { client: setup.client } : {}),
  });
  return provider.createModel(provider.parseOptions(raw, context), context);
}

/** One attempt's options: a fresh signal (or the one given), client `Test`. */
export function callOptions(overrides: Partial<CallOptions> = {}): CallOptions {
  return { signal: new AbortController().signal, client: 'Test', ...overrides };
}

/** A request of one user message. */
export function user(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { messages: [{ role: 'user', content: text }], ...extra };
}

/** Every part a stream yields (it throws what the stream throws). */
export async function collect<Part>(stream: AsyncIterable<Part>): Promise<Part[]> {
  const parts: Part[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** The rejection of a promise that must fail; a success fails the test. */
export async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

/** The JSON body of the n-th request the emulator received for a model. */
export function sentBody(emulator: RunningEmulator, model: string, index = 0): Record<string, unknown> {
  const request = emulator.requests({ model })[index];
  if (!request) throw new Error(`no request #${index} for ${model}`);
  return request.body as Record<string, unknown>;
}

/** Polls `check` until it returns a value (not undefined or false); fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false, timeoutMs = 2_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
