import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { callOptions, collect, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { mapAnthropicStream } from '../src/map-anthropic-stream.js';
import { anthropicModel } from './anthropic-test-client.js';

const emulator = useEmulator();
const hello = user('Hello');
const context = { client: 'Test', provider: 'anthropic', model: 'claude-x' };

async function* replay(events: unknown[]): AsyncGenerator<RawMessageStreamEvent> {
  for (const event of events) yield event as RawMessageStreamEvent;
}

describe('anthropic stream mapping', () => {
  it('streams text deltas, tool input deltas, each complete tool call, then one finish', async () => {
    emulator.current.script('claude-stream-tools', {
      reply: {
        text: 'Let me check the weather.',
        toolCalls: [{ id: 'toolu_s', name: 'get_weather', arguments: { city: 'Paris', days: [1, 2] } }],
        usage: { inputTokens: 40, outputTokens: 12 },
      },
      chunkSize: 6,
    });
    const parts = await collect(anthropicModel(emulator.current, 'claude-stream-tools').doStream(hello, callOptions()));
    const text = parts.filter((part) => part.type === 'text-delta');
    expect(text.length).toBeGreaterThan(1);
    expect(text.map((part) => part.text).join('')).toBe('Let me check the weather.');
    const deltas = parts.filter((part) => part.type === 'tool-call-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((part) => part.toolCallId === 'toolu_s' && part.toolName === 'get_weather' && part.inputDelta !== '')).toBe(true);
    expect(JSON.parse(deltas.map((part) => part.inputDelta).join(''))).toEqual({ city: 'Paris', days: [1, 2] });
    expect(parts.at(-2)).toEqual({ type: 'tool-call', toolCallId: 'toolu_s', toolName: 'get_weather', input: { city: 'Paris', days: [1, 2] } });
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 40, outputTokens: 12, totalTokens: 52, cachedInputTokens: 0 },
    });
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
  });

  it('hands over tool input the model broke as the text it sent', async () => {
    emulator.current.script('claude-stream-broken', { reply: { toolCalls: [{ id: 'toolu_b', name: 'get_weather', arguments: '{"city": "Par' }] } });
    const parts = await collect(anthropicModel(emulator.current, 'claude-stream-broken').doStream(hello, callOptions()));
    expect(parts.find((part) => part.type === 'tool-call')).toEqual({ type: 'tool-call', toolCallId: 'toolu_b', toolName: 'get_weather', input: '{"city": "Par' });
  });

  it('skips thinking and signature deltas and empty text, keeps text a block opens with, takes the cumulative usage of message_delta', async () => {
    const events = [
      { type: 'message_start', message: { usage: { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: 90, cache_creation_input_tokens: 0 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: 'All ' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Done.' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'message_delta', delta: { stop_reason: 'stop_sequence' }, usage: { output_tokens: 25, input_tokens: null, cache_read_input_tokens: null } },
      { type: 'message_stop' },
    ];
    const parts = await collect(mapAnthropicStream(replay(events), context));
    expect(parts).toEqual([
      { type: 'text-delta', text: 'All ' },
      { type: 'text-delta', text: 'Done.' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop_sequence', usage: { inputTokens: 100, outputTokens: 25, totalTokens: 125, cachedInputTokens: 90 } },
    ]);
  });

  it('maps usage as the non-streamed answer does: message_start\'s cache counts, message_delta\'s final output and thinking tokens', async () => {
    const events = [
      {
        type: 'message_start',
        message: { usage: { input_tokens: 12, cache_creation_input_tokens: 400, cache_read_input_tokens: 600, output_tokens: 1, output_tokens_details: null } },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Done.' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn' },
        usage: { input_tokens: 12, cache_creation_input_tokens: null, cache_read_input_tokens: null, output_tokens: 70, output_tokens_details: { thinking_tokens: 45 }, server_tool_use: null },
      },
      { type: 'message_stop' },
    ];
    const parts = await collect(mapAnthropicStream(replay(events), context));
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 1012, outputTokens: 70, totalTokens: 1082, cachedInputTokens: 600, cacheWriteInputTokens: 400, reasoningTokens: 45 },
    });
  });

  it('fails, retryable, when the stream ends before message_stop', async () => {
    const events = [{ type: 'message_start', message: { usage: { input_tokens: 1, output_tokens: 1 } } }, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hal' } }];
    const error = await collect(mapAnthropicStream(replay(events), context)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'server', retryable: true, client: 'Test' });
  });
});
