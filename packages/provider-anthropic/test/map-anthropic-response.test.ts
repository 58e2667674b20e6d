import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { callOptions, useEmulator, user } from '@reg/testkit/vitest';
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
    });
    expect(mapAnthropicUsage({ input_tokens: 5, output_tokens: 1 })).toEqual({ inputTokens: 5, outputTokens: 1, totalTokens: 6 });
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
