import type { ErrorCode } from '../errors/reg-error.js';
import type { ContentPart, FinishReason, ModelStreamPart, ToolCall, Usage } from '../spec.js';

/** One attempt on one leaf client, as the monitoring record keeps it. */
export interface Attempt {
  client: string;
  provider: string;
  model: string;
  /** `skipped`: no request was made, the client's breaker is open or it cools down (see `code`). */
  status: 'success' | 'failure' | 'skipped';
  /** The error's code when the attempt failed. */
  code?: ErrorCode;
  /** The vendor's HTTP status, when there was a response. */
  httpStatus?: number;
  /** The failure's message, without secrets. */
  message?: string;
  retryAfterMs?: number;
  durationMs: number;
  /** Why no retry followed this failed attempt on the same client. */
  gaveUp?: 'not_retryable' | 'max_retries' | 'retry_after_too_long' | 'deadline' | 'retry_budget' | 'committed' | 'circuit_open';
}

/** Which client answered, and after which attempts. */
export interface CallRecord {
  /** The leaf client that answered. */
  client: string;
  provider: string;
  model: string;
  /** Every attempt of the call, in order, across retries and fallbacks. */
  attempts: Attempt[];
}

export interface GenerateResult extends CallRecord {
  text: string;
  content: ContentPart[];
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  rawFinishReason?: string;
  requestId?: string;
}

export type StreamPart =
  /** The first content is about to arrive from this leaf client; no failover happens after it. */
  | { type: 'start'; client: string; provider: string; model: string }
  | Exclude<ModelStreamPart, { type: 'finish' }>
  | (Extract<ModelStreamPart, { type: 'finish' }> & CallRecord);

export interface CallSettings {
  /** A client name or `provider/model`; default: the primary client. */
  client?: string;
  /** Aborts the call: the request in flight, any backoff sleep and any later fallback. */
  signal?: AbortSignal;
  /** Bounds the whole call: every attempt and every wait. */
  timeoutMs?: number;
}
