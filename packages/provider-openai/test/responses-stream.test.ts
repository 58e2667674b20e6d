import { RegError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { buildModel, callOptions, collect, failure, sentBody, useEmulator, user } from '@reg/testkit/vitest';
import { openaiResponses } from '../src/index.js';
import { mapOpenAIResponsesStream, type InBandFailure } from '../src/map-openai-responses-stream.js';

const emulator = useEmulator();
const hello = user('Say hello');

function model(name: string) {
  return buildModel(openaiResponses, { model: name, base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
}

async function* events(list: unknown[]): AsyncGenerator<OpenAI.Responses.ResponseStreamEvent> {
  for (const event of list) yield event as OpenAI.Responses.ResponseStreamEvent;
}

describe('openai-responses stream', () => {
  it('yields text deltas, then one finish with usage, and asks for a stream', async () => {
    emulator.current.script('st-text', { reply: { text: 'Streaming works fine.', usage: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 4 } }, chunkSize: 5 });
    const parts = await collect(model('st-text').doStream(hello, callOptions()));
    expect(parts).toEqual([
      { type: 'text-delta', text: 'Strea' },
      { type: 'text-delta', text: 'ming ' },
      { type: 'text-delta', text: 'works' },
      { type: 'text-delta', text: ' fine' },
      { type: 'text-delta', text: '.' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'completed', usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17, cachedInputTokens: 4 } },
    ]);
    expect(sentBody(emulator.current, 'st-text').stream).toBe(true);
  });

  it('ends a response.incomplete stream with finish length', async () => {
    emulator.current.script('st-length', { reply: { text: 'It was a dark', finishReason: 'length' } });
    const parts = await collect(model('st-length').doStream(hello, callOptions()));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length', rawFinishReason: 'max_output_tokens' });
  });

  it('maps the in-band error event to a retryable server RegError naming the client', async () => {
    emulator.current.script('st-error', { sequence: [{ kind: 'stream-error', afterParts: 0, message: 'Upstream failed.' }] });
    const error = (await failure(collect(model('st-error').doStream(hello, callOptions({ client: 'Streamer' }))))) as RegError;
    expect(RegError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'server', retryable: true, client: 'Streamer', provider: 'openai-responses', status: undefined });
    expect(error.message).toContain('Upstream failed.');
  });

  it('turns response.failed into the caller-given error, and skips events it does not use', async () => {
    const seen: InBandFailure[] = [];
    const stream = mapOpenAIResponsesStream(
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
    const parts = await collect(mapOpenAIResponsesStream(broken(), () => new Error('unused')));
    expect(parts).toEqual([
      { type: 'text-delta', text: 'Done' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'completed', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } },
    ]);
  });
});
