import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { callOptions, collect, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { mapAnthropicResponse, mapAnthropicUsage } from '../src/map-anthropic-response.js';
import { anthropicModel } from './anthropic-test-client.js';

const emulator = useEmulator();
const hello = user('Hello');

describe('anthropic result mapping', () => {
  it('returns text and tool calls with parsed input, the stop reason and the request id', async () => {
    emulator.current.script('claude-result', {
      reply: { text: 'Checking.', toolCalls: [{ id: 'toolu_a', name: 'get_weather', arguments: { city: 'Paris' } }] },
    });
    const result = await anthropicModel(emulator.current, 'claude-result').doGenerate(hello, callOptions());
    expect(result.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', toolCallId: 'toolu_a', toolName: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.rawFinishReason).toBe('tool_use');
    expect(result.requestId).toMatch(/^req_/);
  });

  it('maps max_tokens to length and refusal to content-filter', async () => {
    emulator.current.script('claude-reasons', { sequence: [{ text: 'cut', finishReason: 'length' }, { text: '', finishReason: 'content-filter' }] });
    const model = anthropicModel(emulator.current, 'claude-reasons');
    expect(await model.doGenerate(hello, callOptions())).toMatchObject({ finishReason: 'length', rawFinishReason: 'max_tokens' });
    expect(await model.doGenerate(hello, callOptions())).toMatchObject({ finishReason: 'content-filter', rawFinishReason: 'refusal' });
  });

  it('counts cache writes into inputTokens too, not into cachedInputTokens', () => {
    expect(mapAnthropicUsage({ input_tokens: 50, cache_creation_input_tokens: 2000, cache_read_input_tokens: 300, output_tokens: 10 })).toEqual({
      inputTokens: 2350,
      outputTokens: 10,
      totalTokens: 2360,
      cachedInputTokens: 300,
      cacheWriteInputTokens: 2000,
    });
    expect(mapAnthropicUsage({ input_tokens: 5, output_tokens: 1 })).toEqual({ inputTokens: 5, outputTokens: 1, totalTokens: 6 });
  });

  it('takes thinking_tokens as reasoningTokens, already inside output_tokens, and leaves out writes the API reports as 0', () => {
    expect(
      mapAnthropicUsage({ input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 90, output_tokens_details: { thinking_tokens: 60 } }),
    ).toEqual({ inputTokens: 20, outputTokens: 90, totalTokens: 110, cachedInputTokens: 0, reasoningTokens: 60 });
    expect(mapAnthropicUsage({ input_tokens: 20, output_tokens: 9, output_tokens_details: null })).toEqual({ inputTokens: 20, outputTokens: 9, totalTokens: 29 });
  });

  it('maps scripted usage with cache reads, cache writes and thinking to reg\'s meaning, in generate and in stream alike', async () => {
    const usage = { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, cacheWriteInputTokens: 300, reasoningTokens: 50 };
    emulator.current.script('claude-usage', { reply: { text: 'Thought it through.', usage } });
    const model = anthropicModel(emulator.current, 'claude-usage');
    const expected = { ...usage, totalTokens: 1580 };
    expect((await model.doGenerate(hello, callOptions())).usage).toEqual(expected);
    const finish = (await collect(model.doStream(hello, callOptions()))).at(-1);
    expect(finish).toMatchObject({ type: 'finish', usage: expected });
  });

  it('leaves thinking blocks out of the answer and maps pause_turn to other', () => {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [
        { type: 'thinking', thinking: 'Let me think.', signature: 'sig' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'Answer.', citations: null },
      ],
      stop_reason: 'pause_turn',
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 4, cache_read_input_tokens: null, cache_creation_input_tokens: null },
    } as unknown as Message;
    expect(mapAnthropicResponse(message)).toEqual({
      content: [{ type: 'text', text: 'Answer.' }],
      finishReason: 'other',
      rawFinishReason: 'pause_turn',
      usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
    });
  });
});
