import type { ModelStreamPart } from '@reg/core';
import { parseToolInput, type ErrorContext } from '@reg/provider-utils';
import type { EchoStreamLine } from './echo-api.js';
import { echoStreamError, truncatedStreamError } from './map-echo-error.js';
import { mapEchoFinishReason } from './map-echo-finish-reason.js';
import { mapEchoUsage } from './map-echo-response.js';

type DoneLine = Extract<EchoStreamLine, { type: 'done' }>;

/**
 * A streamed Echo answer (one JSON object a line) as reg stream parts: text deltas, tool-call
 * deltas as the argument pieces arrive, each whole tool call once the `done` line says the answer
 * is complete, and `finish` after the body has ended (so the connection goes back to the pool).
 * A line that is not JSON throws a SyntaxError, which the model maps as unreadable data.
 */
export async function* mapEchoStream(body: ReadableStream<Uint8Array>, context: ErrorContext): AsyncGenerator<ModelStreamPart> {
  const calls = new Map<string, { toolName: string; args: string }>();
  let done: DoneLine | undefined;
  for await (const text of ndjsonLines(body)) {
    if (done) continue;
    const line = JSON.parse(text) as EchoStreamLine;
    switch (line.type) {
      case 'text':
        if (line.text) yield { type: 'text-delta', text: line.text };
        break;
      case 'call': {
        let call = calls.get(line.id);
        if (!call) calls.set(line.id, (call = { toolName: line.tool, args: '' }));
        if (line.args) {
          call.args += line.args;
          yield { type: 'tool-call-delta', toolCallId: line.id, toolName: call.toolName, inputDelta: line.args };
        }
        break;
      }
      case 'done':
        done = line;
        for (const [toolCallId, call] of calls) yield { type: 'tool-call', toolCallId, toolName: call.toolName, input: parseToolInput(call.args) };
        break;
      case 'problem':
        throw echoStreamError(line.problem, context);
    }
  }
  if (!done) throw truncatedStreamError(context);
  yield { type: 'finish', finishReason: mapEchoFinishReason(done.stop), usage: mapEchoUsage(done.tokens), rawFinishReason: done.stop };
}

/** The body's non-empty lines. Cancels the body when the reader stops early. */
async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
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
      while ((newline = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield line;
      }
    }
    if (buffer.trim()) yield buffer.trim();
  } finally {
    if (!ended) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
