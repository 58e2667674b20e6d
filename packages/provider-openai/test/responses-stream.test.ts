import { RegError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { openaiResponses } from '../src/responses/openai-responses-provider.js';
import { convertResponsesStream, type InBandFailure } from '../src/responses/responses-stream.js';
import { body, buildModel, call, collect, failure, hello, useEmulator } from './helpers.js';

const emulator = useEmulator();

function model(name: string) {
  return buildModel(openaiResponses, { model: name, base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
}

async function* events(list: unknown[]): AsyncGenerator<OpenAI.Responses.ResponseStreamEvent> {
  for (const event of list) yield event as OpenAI.Responses.ResponseStreamEvent;
}

describe('openai-responses stream', () => {
  it('yields text deltas, then one finish with usage, and asks for a stream', async () => {
    emulator.current.script('st-text', { reply: { text: 'Streaming works fine.', usage: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 4 } }, chunkSize: 5 });
    const parts = await collect(model('st-text').doStream(hello, call()));
    expect(parts).toEqual([
      { type: 'text-delta', text: 'Strea' },
      { type: 'text-delta', text: 'ming ' },
      { type: 'text-delta', text: 'works' },
      { type: 'text-delta', text: ' fine' },
      { type: 'text-delta', text: '.' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'completed', usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17, cachedInputTokens: 4 } },
    ]);
    expect(body(emulator.current, 'st-text').stream).toBe(true);
  });

  it('yields tool input deltas by call id, the parsed tool call when its item is done, and finish tool-calls', async () => {
    emulator.current.script('st-tools', {
      reply: { toolCalls: [{ id: 'call_s1', name: 'search', arguments: { q: 'emulators' } }, { id: 'call_s2', name: 'noop', arguments: {} }] },
      chunkSize: 6,
    });
    const parts = await collect(model('st-tools').doStream(hello, call()));
    const deltas = parts.filter((part) => part.type === 'tool-call-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((part) => part.toolCallId === 'call_s1' || part.toolCallId === 'call_s2')).toBe(true);
    expect(deltas.filter((part) => part.toolCallId === 'call_s1').map((part) => part.inputDelta).join('')).toBe('{"q":"emulators"}');
    expect(parts.filter((part) => part.type === 'tool-call')).toEqual([
      { type: 'tool-call', toolCallId: 'call_s1', toolName: 'search', input: { q: 'emulators' } },
      { type: 'tool-call', toolCallId: 'call_s2', toolName: 'noop', input: {} },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('ends a response.incomplete stream with finish length', async () => {
    emulator.current.script('st-length', { reply: { text: 'It was a dark', finishReason: 'length' } });
    const parts = await collect(model('st-length').doStream(hello, call()));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length', rawFinishReason: 'max_output_tokens' });
  });

  it('maps the in-band error event to a retryable server RegError naming the client', async () => {
    emulator.current.script('st-error', { sequence: [{ kind: 'stream-error', afterParts: 0, message: 'Upstream failed.' }] });
    const error = (await failure(collect(model('st-error').doStream(hello, call({ client: 'Streamer' }))))) as RegError;
    expect(RegError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'server', retryable: true, client: 'Streamer', provider: 'openai-responses', status: undefined });
    expect(error.message).toContain('Upstream failed.');
  });

  it('turns response.failed into the caller-given error, and skips events it does not use', async () => {
    const seen: InBandFailure[] = [];
    const stream = convertResponsesStream(
      events([
        { type: 'response.created', response: {} },
        { type: 'response.reasoning_summary_text.delta', delta: 'hmm' },
        { type: 'response.output_text.delta', delta: '' },
        { type: 'response.output_text.delta', delta: 'Hi' },
        { type: 'response.failed', response: { error: { code: 'rate_limit_exceeded', message: 'Slow down.' } } },
      ]),
      (failed) => {
        seen.push(failed);
        return new Error('mapped');
      },
    );
    const parts: unknown[] = [];
    await expect(
      (async () => {
        for await (const part of stream) parts.push(part);
      })(),
    ).rejects.toThrow('mapped');
    expect(parts).toEqual([{ type: 'text-delta', text: 'Hi' }]);
    expect(seen).toEqual([{ message: 'Slow down.', code: 'rate_limit_exceeded', type: 'rate_limit_exceeded' }]);
  });

  it('keeps a finished answer when the connection breaks after the terminal event', async () => {
    async function* broken(): AsyncGenerator<OpenAI.Responses.ResponseStreamEvent> {
      yield* events([
        { type: 'response.output_text.delta', delta: 'Done' },
        { type: 'response.completed', response: { status: 'completed', output: [], usage: null } },
      ]);
      throw new TypeError('terminated');
    }
    const parts = await collect(convertResponsesStream(broken(), () => new Error('unused')));
    expect(parts).toEqual([
      { type: 'text-delta', text: 'Done' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'completed', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } },
    ]);
  });
});
