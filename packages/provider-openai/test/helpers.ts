import type { CallOptions, ChatModel, ChatRequest, DefinedProvider, ModelStreamPart, ProviderContext } from '@reg/core';
import { startEmulator, type RunningEmulator } from '@reg/testkit';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** Starts one emulator for the file and forgets its scripts and requests between tests. */
export function useEmulator(): { readonly current: RunningEmulator } {
  const holder = {} as { current: RunningEmulator };
  beforeAll(async () => {
    holder.current = await startEmulator();
  });
  afterAll(() => holder.current.close());
  beforeEach(() => holder.current.reset());
  return holder;
}

export function context(env: Record<string, string | undefined> = {}, client = 'Test'): ProviderContext {
  return { client, path: 'clients[0].options', env };
}

/** Parses the options and builds the model, as the registry does. */
export function buildModel<Options>(provider: DefinedProvider<Options>, raw: Record<string, unknown>, env: Record<string, string | undefined> = {}): ChatModel {
  const ctx = context(env);
  return provider.createModel(provider.parseOptions(raw, ctx), ctx);
}

export function call(overrides: Partial<CallOptions> = {}): CallOptions {
  return { signal: new AbortController().signal, http: {}, client: 'Test', ...overrides };
}

export const hello: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }] };

export async function collect(stream: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const parts: ModelStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** The rejection of a promise that must fail. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

export function body(emulator: RunningEmulator, model: string, index = 0): Record<string, unknown> {
  const request = emulator.requests({ model })[index];
  if (!request) throw new Error(`no request ${index} for ${model}`);
  return request.body as Record<string, unknown>;
}

/**
 * Sends every request of this test file to `target()` whatever host its URL names, and records the
 * origins asked for: configs that name the real vendor hosts (api.openai.com, openrouter.ai,
 * <resource>.openai.azure.com) then run as written against a local server.
 */
export function routeAllHostsTo(target: (origin: string) => string): { origins: string[]; restore(): void } {
  const previous = getGlobalDispatcher();
  const origins: string[] = [];
  setGlobalDispatcher(
    new Agent().compose((dispatch) => (options, handler) => {
      const origin = String(options.origin);
      origins.push(origin);
      return dispatch({ ...options, origin: target(origin) }, handler);
    }),
  );
  return { origins, restore: () => setGlobalDispatcher(previous) };
}
