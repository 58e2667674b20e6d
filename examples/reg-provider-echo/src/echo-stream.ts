import type { FinishReason, ModelStreamPart, Usage } from '@reg/core';
import { mapFinishReason, mapUsage, parseToolInput, type EchoUsage } from './echo-response.js';
import { inBandError, malformedData, truncatedStream, type EchoErrorContext } from './map-echo-error.js';

interface EchoChunk {
  error?: unknown;
  choices?: Array<{
    delta?: {
      content?: string | null;
      tool_calls?: Array<{ index?: number; id?: string; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason?: string | null;
  }>;
  usage?: EchoUsage | null;
}

interface PendingToolCall {
  toolCallId: string;
  toolName: string;
  input: string;
}

/**
 * Chat Completions SSE as reg stream parts. Tool calls arrive in pieces keyed by `index`; each is
 * yielded whole once the choice finishes. Usage comes in a last chunk with no choices (asked for
 * with `stream_options.include_usage`), so `finish` waits for the body to end: exactly one, last.
 */
export async function* mapEchoStream(body: ReadableStream<Uint8Array>, context: EchoErrorContext): AsyncGenerator<ModelStreamPart> {
  const toolCalls = new Map<number, PendingToolCall>();
  let finishReason: FinishReason | undefined;
  let rawFinishReason: string | undefined;
  let usage: Usage | undefined;
  let done = false;

  for await (const data of serverSentData(body)) {
    // Keep reading past [DONE] to the body's end, so the connection goes back to the pool.
    if (done) continue;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    let chunk: EchoChunk;
    try {
      chunk = JSON.parse(data) as EchoChunk;
    } catch (error) {
      throw malformedData(context, error);
    }
    if (chunk.error !== undefined && chunk.error !== null) throw inBandError(chunk.error, context);
    if (chunk.usage) usage = mapUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const text = choice.delta?.content;
    if (text) yield { type: 'text-delta', text };
    for (const delta of choice.delta?.tool_calls ?? []) {
      const index = delta.index ?? 0;
      let call = toolCalls.get(index);
      if (!call) toolCalls.set(index, (call = { toolCallId: delta.id ?? `call_${index}`, toolName: '', input: '' }));
      if (delta.id) call.toolCallId = delta.id;
      if (delta.function?.name) call.toolName = delta.function.name;
      const inputDelta = delta.function?.arguments;
      if (inputDelta) {
        call.input += inputDelta;
        yield { type: 'tool-call-delta', toolCallId: call.toolCallId, toolName: call.toolName, inputDelta };
      }
    }
    if (choice.finish_reason) {
      finishReason = mapFinishReason(choice.finish_reason);
      rawFinishReason = choice.finish_reason;
      yield* completeToolCalls(toolCalls);
    }
  }

  if (finishReason === undefined && !done) throw truncatedStream(context);
  yield* completeToolCalls(toolCalls);
  const finish: ModelStreamPart = { type: 'finish', finishReason: finishReason ?? 'other', usage: usage ?? mapUsage(undefined) };
  if (rawFinishReason) finish.rawFinishReason = rawFinishReason;
  yield finish;
}

function* completeToolCalls(toolCalls: Map<number, PendingToolCall>): Generator<ModelStreamPart> {
  for (const index of [...toolCalls.keys()].sort((a, b) => a - b)) {
    const call = toolCalls.get(index)!;
    yield { type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input: parseToolInput(call.input) };
  }
  toolCalls.clear();
}

/**
 * The `data:` payload of each server-sent event (multi-line data joined with newlines). Comments
 * (`: keep-alive`) and other fields are skipped. Cancels the body when the reader stops early.
 */
async function* serverSentData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let data: string[] = [];
  let ended = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      buffer += value;
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
        // A lone \r at the end may be half of a \r\n split across chunks: wait for the rest.
        if (newline === buffer.length - 1 && buffer.endsWith('\r')) break;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
      }
    }
    const last = buffer.replace(/\r$/, '');
    if (last.startsWith('data:')) data.push(last.slice(last.startsWith('data: ') ? 6 : 5));
    if (data.length > 0) yield data.join('\n');
  } finally {
    if (!ended) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
