import { randomBytes } from 'node:crypto';
import { isFault, replyFor } from './script-store.js';
import { applyTransportFaults } from './transport-faults.js';
import type { Exchange, RecordedRequest, Reply, ReplyUsage, StatusFault, StreamPlan } from './types.js';

/** What a `WireFormat` renders from: the model, the request it answers, and the script's chunk size. */
export interface RenderContext {
  model: string;
  request: RecordedRequest;
  /** Characters per streamed text or tool-input part (`splitText(text, chunkSize)`). */
  chunkSize: number | undefined;
}

/**
 * How a vendor API renders the emulator's outcomes, for `serveOutcome`: the one thing a custom
 * vendor's route must write (besides checking its credential and body), after which every reply
 * and every fault kind of a script works for it.
 */
export interface WireFormat {
  /** The JSON body of a 200 answer to a non-streamed call. */
  answer(reply: Reply, context: RenderContext): unknown;
  /**
   * A streamed answer: its frames (content frames marked), the in-band error frame for a
   * `stream-error` fault and a frame that breaks the framing for a `malformed` one.
   */
  stream(reply: Reply, context: RenderContext): StreamPlan;
  /** The headers of a streamed answer (its content type). */
  streamHeaders: Record<string, string>;
  /**
   * The error answer for a `StatusFault` (sent with `fault.status`): the vendor's body, with its
   * type from `fault.type` or else the one it uses for the status, and its headers (`retry-after`
   * from `fault.retryAfterSeconds`, ...). `fault.headers` are added after them.
   */
  statusError(fault: StatusFault, context: RenderContext): { body: unknown; headers?: Record<string, string> };
  /** Headers on every answer, errors included (a request id); default none. */
  headers?(context: RenderContext): Record<string, string>;
}

/**
 * Answers one call for `model` as its script says, in the vendor's `format`: takes the outcome,
 * applies latency and transport faults, sends a status fault as the vendor's error, and a reply
 * (or the reply a stream fault interrupts) streamed or as JSON. A stream fault scripted for a
 * non-streamed call breaks the one response there is: `cut` drops the connection, `malformed`
 * sends half the JSON, `stream-error` becomes the vendor's 500.
 */
export async function serveOutcome(exchange: Exchange, options: { model: string; stream: boolean; format: WireFormat }): Promise<void> {
  const { model, stream, format } = options;
  const { script, outcome } = exchange.take(model);
  if (await applyTransportFaults(exchange, script, outcome, { stream })) return;
  const context: RenderContext = { model, request: exchange.request, chunkSize: script.chunkSize };
  const headers = format.headers?.(context) ?? {};
  if (isFault(outcome) && outcome.kind === 'status') return sendStatusError(exchange, { format, fault: outcome, context, headers });
  const reply = replyFor(outcome, script, exchange.request);
  if (stream) return exchange.stream({ headers: { ...headers, ...format.streamHeaders }, plan: format.stream(reply, context), script, outcome });
  const body = format.answer(reply, context);
  if (isFault(outcome)) {
    if (outcome.kind === 'cut') return exchange.reset();
    if (outcome.kind === 'malformed') {
      const text = JSON.stringify(body);
      exchange.response.writeHead(200, { ...headers, 'content-type': 'application/json' });
      return exchange.response.end(text.slice(0, Math.floor(text.length / 2)));
    }
    if (outcome.kind === 'stream-error') {
      const fault: StatusFault = { kind: 'status', status: 500, ...(outcome.type ? { type: outcome.type } : {}), ...(outcome.message ? { message: outcome.message } : {}) };
      return sendStatusError(exchange, { format, fault, context, headers });
    }
  }
  exchange.json(200, body, headers);
}

function sendStatusError(exchange: Exchange, input: { format: WireFormat; fault: StatusFault; context: RenderContext; headers: Record<string, string> }): void {
  const { body, headers } = input.format.statusError(input.fault, input.context);
  exchange.json(input.fault.status, body, { ...input.headers, ...headers, ...input.fault.headers });
}

/** A scripted tool call with the id it goes out with (the scripted one, else a new one) and its arguments as JSON text. */
export interface ToolCallOut {
  id: string;
  name: string;
  /** The arguments as the JSON text to send (as scripted, when scripted as text). */
  arguments: string;
}

/** The reply's tool calls with ids (made up with `idPrefix` where the script gives none) and argument text. */
export function toolCallsOf(reply: Reply, idPrefix = 'call_'): ToolCallOut[] {
  return (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? `${idPrefix}${randomBytes(8).toString('hex')}`,
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }));
}

/** The reply's token counts in reg's meaning: as scripted, else estimated at about four characters a token. */
export function usageOf(reply: Reply, request: RecordedRequest): ReplyUsage {
  const output = (reply.text ?? '') + (reply.toolCalls ?? []).map((call) => call.name + JSON.stringify(call.arguments)).join('');
  return {
    inputTokens: reply.usage?.inputTokens ?? estimateTokens(request.rawBody.length),
    outputTokens: reply.usage?.outputTokens ?? estimateTokens(output.length),
    cachedInputTokens: reply.usage?.cachedInputTokens ?? 0,
    cacheWriteInputTokens: reply.usage?.cacheWriteInputTokens ?? 0,
    reasoningTokens: reply.usage?.reasoningTokens ?? 0,
  };
}

function estimateTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}
