import type { IncomingHttpHeaders } from 'node:http';

/** The vendor APIs the emulator serves itself. Azure and OpenRouter speak OpenAI's wire format. */
export type BuiltInVendor = 'openai' | 'azure' | 'openrouter' | 'anthropic' | 'bedrock' | 'gemini' | 'vertex' | 'oauth';

/**
 * A vendor API's name in routes and recorded requests: a built-in one, or any name a custom route
 * gives its own vendor (`startEmulator({ routes })`).
 */
export type Vendor = BuiltInVendor | (string & {});

export interface ScriptedToolCall {
  id?: string;
  name: string;
  /** Arguments as an object (serialised as JSON) or as the exact JSON text to send. */
  arguments: Record<string, unknown> | string;
}

/**
 * Token counts in reg's meaning: `inputTokens` is all input (cache reads and writes included),
 * `outputTokens` all output (reasoning included); the others are parts of them. A vendor that
 * counts otherwise (Anthropic's `input_tokens` leaves cache reads and writes out; Gemini's
 * `candidatesTokenCount` leaves thoughts out) renders them its way, so a provider must add them back.
 */
export interface ReplyUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  reasoningTokens: number;
}

/** A successful answer, in vendor-neutral terms; each vendor renders it in its own format. */
export interface Reply {
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /**
   * Token counts to report, in reg's meaning (see `ReplyUsage`); omitted totals are estimated from
   * the request and reply. Each vendor reports them in its own fields and arithmetic.
   */
  usage?: Partial<ReplyUsage>;
  /** Defaults: `tool-calls` when toolCalls are given, else `stop`. */
  finishReason?: 'stop' | 'length' | 'tool-calls' | 'content-filter';
}

/** An HTTP error answer: each vendor renders the body and headers its API documents. */
export interface StatusFault {
  kind: 'status';
  status: number;
  message?: string;
  /** The vendor's error type/code field, e.g. `rate_limit_error`, `insufficient_quota`, `ThrottlingException`, `RESOURCE_EXHAUSTED`. */
  type?: string;
  code?: string;
  /** `retry-after` in seconds. */
  retryAfterSeconds?: number;
  /** `retry-after-ms` (OpenAI-family and Anthropic). */
  retryAfterMs?: number;
  /** `x-should-retry: true|false`. */
  shouldRetry?: boolean;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export type Fault =
  | StatusFault
  /** Destroy the socket before any response headers. */
  | { kind: 'reset' }
  /** Never answer; the request stays open until the client gives up. */
  | { kind: 'hang' }
  /** Stream: wait this long before the first content part (headers go out at once). Generate: before the response. */
  | { kind: 'slow-first-token'; delayMs: number }
  /** Stream: destroy the socket after this many content parts. */
  | { kind: 'cut'; afterParts: number }
  /** Stream: send a frame that is not valid for the vendor's framing after this many content parts, then end. */
  | { kind: 'malformed'; afterParts: number }
  /** Stream: send the vendor's in-band error event after this many content parts, then end. */
  | { kind: 'stream-error'; afterParts: number; type?: string; message?: string }
  /** Stream: wait this long between parts. */
  | { kind: 'drip'; intervalMs: number }
  /**
   * Stream: send this many content parts, then nothing more, keeping the response open until the
   * client gives up. Generate: the 200 headers, then no body until the client gives up.
   */
  | { kind: 'stall'; afterParts: number };

/** One scripted call: a reply, or a fault. `'ok'` means the model's default reply. */
export type Outcome = 'ok' | Reply | Fault;

export interface ModelScript {
  /** The reply given when no sequence entry applies (default: a short echo of the last user text). */
  reply?: Reply;
  /** Outcomes consumed one per call, in order; when used up, calls get `reply`. */
  sequence?: Outcome[];
  /** Added before every response. */
  latencyMs?: number;
  /** Characters per streamed text part (default 8). */
  chunkSize?: number;
}

export interface RecordedRequest {
  vendor: Vendor;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
  rawBody: Buffer;
  /** The model the request addressed, as the vendor API names it (body, path or deployment). */
  model?: string;
  /** HTTP version the request arrived with, `1.1` or `2.0`. */
  httpVersion: string;
  /** `performance.now()` at arrival. */
  receivedAt: number;
  /** Connection identifier: equal for requests on one kept-alive socket. */
  connectionId: number;
  /**
   * `performance.now()` when the client closed the request (an abort or a timeout on its side)
   * before the response was complete; unset while open, after a complete response, and after a
   * scripted reset.
   */
  clientClosedAt?: number;
}

/** One frame of a streamed response, already in the vendor's framing (an SSE event, an NDJSON line, a binary message). */
export interface StreamFrame {
  data: string | Buffer;
  /** Content frames count for `cut`, `malformed`, `stream-error`, `stall` and `slow-first-token`. */
  content?: boolean;
}

/**
 * A streamed answer as the vendor sends it; `Exchange.stream` writes it with the outcome's pacing
 * and faults. Mark as `content` the frames that carry text or tool input (the parts `cut`,
 * `malformed`, `stream-error`, `stall`, `drip` and `slow-first-token` count); opening and closing
 * frames (a start event, the final usage) are not content.
 */
export interface StreamPlan {
  frames: StreamFrame[];
  /**
   * The vendor's in-band error frame for a `stream-error` fault: the event the API sends when it
   * fails after answering 200. `fault.type` is the vendor's error type (default: its generic
   * server error), `fault.message` its words. The stream ends after it.
   */
  inBandError?: (fault: Extract<Fault, { kind: 'stream-error' }>) => string | Buffer;
  /** A frame that breaks the vendor's framing (truncated JSON, a bad checksum), for a `malformed` fault; the stream ends after it. */
  malformed?: () => string | Buffer;
}

/** The response half of an exchange, common to HTTP/1.1 and HTTP/2. */
export interface EmulatorResponse {
  writeHead(status: number, headers: Record<string, string | number | string[]>): void;
  write(chunk: string | Buffer, callback?: () => void): void;
  end(chunk?: string | Buffer): void;
}

/**
 * What a vendor route handler receives for one request. A route answers in its vendor's format:
 *
 * 1. Check the credential and the body as the vendor does (its own 401 and 400 bodies).
 * 2. `take(model)`: the model's script and this call's outcome (a `Reply` or a `Fault`).
 * 3. `applyTransportFaults(exchange, script, outcome, { stream })`: latency, `reset`, `hang`,
 *    `stall` and `slow-first-token` of a non-streamed call; it returns true when the exchange is done.
 * 4. A `StatusFault`: the vendor's error body with `status`, its type from `type` (else the
 *    vendor's type for that status), `message`, and headers: `retry-after` from
 *    `retryAfterSeconds`, and whatever the vendor has for `retryAfterMs` and `shouldRetry`; then
 *    `headers` as given.
 * 5. A `Reply` (or the reply a stream fault interrupts: `replyFor`): text, tool calls (ids as
 *    given, else made up), `usage` (estimated when not scripted) and `finishReason` in the
 *    vendor's words. Streamed: `stream({ headers, plan, script, outcome })` with a `StreamPlan`
 *    (text split with `splitText(text, script.chunkSize)`). Not streamed: `json(200, body)`;
 *    a stream fault scripted for a non-streamed call breaks the one response there is (`cut`:
 *    `reset()`; `malformed`: half the JSON; `stream-error`: the vendor's 500).
 *
 * `serveOutcome(exchange, { model, stream, format })` does steps 2 to 5 given a `WireFormat`.
 */
export interface Exchange {
  request: RecordedRequest;
  params: Record<string, string>;
  response: EmulatorResponse;
  /** Aborted when the client goes away. */
  closed: AbortSignal;
  /** Records which model the request addressed and returns its script and next outcome. */
  take(model: string): { script: ModelScript; outcome: Exclude<Outcome, 'ok'> | Reply };
  /** Sends a JSON body with the given status and headers (content-type set). */
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  /** Writes headers, then the frames with the pacing and faults of the outcome. */
  stream(options: { headers: Record<string, string>; plan: StreamPlan; script: ModelScript; outcome: Fault | Reply }): Promise<void>;
  /** Destroys the connection without a response. */
  reset(): void;
  /** Resolves after `ms`, or early when the client goes away. */
  sleep(ms: number): Promise<void>;
}

/**
 * One endpoint of a vendor API. The emulator tries routes in order and serves the first whose
 * method and pattern match; a custom vendor's routes go to `startEmulator({ routes })`.
 */
export interface VendorRoute {
  /** Recorded on each request it serves (`emulator.requests({ vendor })`). */
  vendor: Vendor;
  method: 'GET' | 'POST';
  /** Matched against the URL pathname; named groups become `params` (URL-decoded). */
  pattern: RegExp;
  handle(exchange: Exchange): Promise<void>;
}
