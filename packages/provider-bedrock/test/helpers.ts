import { ClientRegistry, MemoryStateStore, type CallOptions, type ChatModel, type HttpTimeouts } from '@reg/core';
import { TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { awsBedrock } from '../src/index.js';

export const CLIENT = 'Bedrock';

/** Options that point a client at the emulator with the emulator's credentials. */
export function emulatorOptions(emulator: RunningEmulator, model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model,
    region: 'us-east-1',
    endpoint_url: emulator.baseUrls.bedrock,
    access_key_id: TEST_CREDENTIALS.aws.accessKeyId,
    secret_access_key: TEST_CREDENTIALS.aws.secretAccessKey,
    ...extra,
  };
}

/** A model built the way the registry builds it, for calling doGenerate/doStream directly. */
export function createModel(raw: Record<string, unknown>, env: Record<string, string | undefined> = {}): ChatModel {
  const context = { client: CLIENT, path: 'clients[0].options', env };
  return awsBedrock.createModel(awsBedrock.parseOptions(raw, context), context);
}

export function call(http: HttpTimeouts = {}, signal: AbortSignal = new AbortController().signal): CallOptions {
  return { signal, http, client: CLIENT };
}

export function registryWith(raw: Record<string, unknown>, env: Record<string, string | undefined> = {}): ClientRegistry {
  const registry = new ClientRegistry({ providers: [awsBedrock], env, store: new MemoryStateStore() });
  registry.addLlmClient(CLIENT, 'aws-bedrock', raw);
  registry.setPrimary(CLIENT);
  return registry;
}

export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const parts: T[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

let counter = 0;
/** A model id of its own per test, so scripts and request logs never mix. */
export function uniqueModel(label: string): string {
  return `anthropic.${label}-${++counter}-v1:0`;
}
