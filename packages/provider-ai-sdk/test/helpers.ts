import { ClientRegistry, type CallOptions, type ChatModel, type ModelStreamPart } from '@reg/core';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { aiSdk } from '../src/index.js';

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

/** Client options that load @ai-sdk/openai-compatible and point it at the emulator's OpenAI API. */
export function clientOptions(emulator: RunningEmulator, model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { settings, ...rest } = extra;
  return {
    package: '@ai-sdk/openai-compatible',
    model,
    settings: { name: 'emulated', baseURL: emulator.baseUrls.openai, apiKey: TEST_CREDENTIALS.openai, includeUsage: true, ...(settings as object) },
    ...rest,
  };
}

export const context = { client: 'Test', path: 'clients[0].options', env: {} };

/** A model built the way the registry builds it: parsed options, then createModel. */
export function createModel(emulator: RunningEmulator, model: string, extra: Record<string, unknown> = {}): ChatModel {
  return aiSdk.createModel(aiSdk.parseOptions(clientOptions(emulator, model, extra), context), context);
}

export function call(overrides: Partial<CallOptions> = {}): CallOptions {
  return { signal: new AbortController().signal, http: {}, client: 'Test', ...overrides };
}

export function registry(clients: Record<string, Record<string, unknown>>): ClientRegistry {
  const cr = new ClientRegistry({ providers: [aiSdk], env: {} });
  for (const [name, options] of Object.entries(clients)) cr.addLlmClient(name, 'ai-sdk', options);
  return cr;
}

export async function collect(parts: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const collected: ModelStreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

/** What the emulator received for a model, as the Chat Completions body. */
export function sentBody(emulator: RunningEmulator, model: string, index = 0): Record<string, unknown> {
  return emulator.requests({ model })[index]?.body as Record<string, unknown>;
}
