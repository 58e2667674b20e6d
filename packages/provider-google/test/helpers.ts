import type { CallOptions, ChatModel, ChatRequest, DefinedProvider, ModelStreamPart, ProviderContext, RegError } from '@reg/core';

export const CONTEXT: ProviderContext = { client: 'Test', path: 'clients[0].options', env: {} };

export function buildModel<Options>(
  provider: DefinedProvider<Options>,
  raw: Record<string, unknown>,
  env: Record<string, string | undefined> = {},
): ChatModel {
  const context = { ...CONTEXT, env };
  return provider.createModel(provider.parseOptions(raw, context), context);
}

export function call(overrides: Partial<CallOptions> = {}): CallOptions {
  return { signal: new AbortController().signal, http: {}, client: 'Test', ...overrides };
}

export function user(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { messages: [{ role: 'user', content: text }], ...extra };
}

export async function collect(stream: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const parts: ModelStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** The RegError a promise rejects with; success fails the test. */
export async function failure(promise: Promise<unknown>): Promise<RegError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught as RegError,
  );
}
