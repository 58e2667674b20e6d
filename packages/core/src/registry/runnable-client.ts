import type { ChatRequest, ModelResult, ModelStreamPart } from '../spec.js';
import type { CallScope } from './call-scope.js';
import type { StreamPart } from './types.js';

/** A model's result, with the leaf client that produced it. */
export interface ClientResult extends ModelResult {
  client: string;
  provider: string;
  model: string;
}

/** What a stream yields below the registry: a `start` at commit, then the model's parts. */
export type ClientStreamPart = Extract<StreamPart, { type: 'start' }> | ModelStreamPart;

/**
 * A configured client, ready to call: a leaf (one model with its retry policy and timeouts) or a
 * strategy over other clients. Strategies take RunnableClients and are RunnableClients, so they nest.
 */
export interface RunnableClient {
  readonly name: string;
  readonly provider: string;
  generate(request: ChatRequest, scope: CallScope): Promise<ClientResult>;
  /**
   * Yields `start` right before the first content part, then the parts. A failure before `start`
   * may be retried or failed over; after it, it is a StreamInterruptedError.
   */
  stream(request: ChatRequest, scope: CallScope): AsyncGenerator<ClientStreamPart, void, undefined>;
}
