import { ClientRegistry, type CallOptions, type ChatModel, type ChatRequest, type ModelStreamPart } from '@reg/core';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { anthropic } from '../src/index.js';

/** Starts one emulator for the file and clears its scripts and request log between tests. */
export function useEmulator(): { readonly current: RunningEmulator } {
  const holder = {} as { current: RunningEmulator };
  beforeAll(async () => {
    holder.current = await startEmulator();
  });
  afterAll(() => holder.current.close());
  beforeEach(() => holder.current.reset());
  return holder;
}

export function clientOptions(emulator: RunningEmulator, model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model, base_url: emulator.baseUrls.anthropic, api_key: TEST_CREDENTIALS.anthropic, ...extra };
}

/** A model built the way the registry builds it: parsed options, then createModel. */
export function createModel(emulator: RunningEmulator, model: string, extra: Record<string, unknown> = {}): ChatModel {
  const context = { client: 'Test', path: 'clients[0].options', env: {} };
  return anthropic.createModel(anthropic.parseOptions(clientOptions(emulator, model, extra), context), context);
}

export function call(overrides: Partial<CallOptions> = {}): CallOptions {
  return { signal: new AbortController().signal, http: {}, client: 'Test', ...overrides };
}

export function registry(emulator: RunningEmulator, clients: Record<string, Record<string, unknown>>): ClientRegistry {
  const cr = new ClientRegistry({ providers: [anthropic], env: {} });
  for (const [name, options] of Object.entries(clients)) cr.addLlmClient(name, 'anthropic', clientOptions(emulator, String(options.model), options));
  return cr;
}

export async function collect(parts: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const collected: ModelStreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

export const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello' }] };

/** What the emulator received for a model, as the Messages API body. */
export function sentBody(emulator: RunningEmulator, model: string, index = 0): Record<string, unknown> {
  return emulator.requests({ model })[index]?.body as Record<string, unknown>;
}
