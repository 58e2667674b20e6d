import { TEST_CREDENTIALS } from '@reg/testkit';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { buildModel, callOptions, useEmulator, user } from '@reg/testkit/vitest';
import { openaiResponses } from '../src/index.js';
import { mapOpenAIResponsesResponse } from '../src/map-openai-responses-response.js';

const emulator = useEmulator();
const hello = user('Say hello');

function model(name: string) {
  return buildModel(openaiResponses, { model: name, base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
}

describe('openai-responses results', () => {
  it('returns the text, stop, usage with cached reads inside input, and the request id', async () => {
    emulator.current.script('res-text', { reply: { text: 'Hello there.', usage: { inputTokens: 40, outputTokens: 3, cachedInputTokens: 32 } } });
    const result = await model('res-text').doGenerate(hello, callOptions());
    expect(result).toEqual({
      content: [{ type: 'text', text: 'Hello there.' }],
      finishReason: 'stop',
      rawFinishReason: 'completed',
      usage: { inputTokens: 40, outputTokens: 3, totalTokens: 43, cachedInputTokens: 32 },
      requestId: expect.stringMatching(/^req_/),
    });
  });

  it('returns function calls as tool calls with parsed input and finish reason tool-calls', async () => {
    emulator.current.script('res-tools', {
      reply: {
        text: 'Let me look.',
        toolCalls: [
          { id: 'call_a', name: 'lookup', arguments: { id: 7 } },
          { id: 'call_b', name: 'noop', arguments: '' },
        ],
      },
    });
    const result = await model('res-tools').doGenerate(hello, callOptions());
    expect(result.content).toEqual([
      { type: 'text', text: 'Let me look.' },
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'lookup', input: { id: 7 } },
      { type: 'tool-call', toolCallId: 'call_b', toolName: 'noop', input: {} },
    ]);
    expect(result.finishReason).toBe('tool-calls');
  });

  it('maps incomplete responses: max_output_tokens to length, content_filter to content-filter', async () => {
    emulator.current.script('res-incomplete', { sequence: [{ text: 'It was a', finishReason: 'length' }, { text: '', finishReason: 'content-filter' }] });
    const subject = model('res-incomplete');
    expect(await subject.doGenerate(hello, callOptions())).toMatchObject({ finishReason: 'length', rawFinishReason: 'max_output_tokens' });
    expect(await subject.doGenerate(hello, callOptions())).toMatchObject({ finishReason: 'content-filter', rawFinishReason: 'content_filter', content: [] });
  });

  it('skips reasoning items and keeps refusals as text (a reasoning model answer)', () => {
    const response = {
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      incomplete_details: null,
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking about it.' }] },
        { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: '42', annotations: [] }] },
        { id: 'msg_2', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'refusal', refusal: 'Not that.' }] },
      ],
      usage: {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
        output_tokens: 200,
        output_tokens_details: { reasoning_tokens: 190 },
        total_tokens: 210,
      },
    } as unknown as OpenAI.Responses.Response;
    expect(mapOpenAIResponsesResponse(response, undefined)).toEqual({
      content: [
        { type: 'text', text: '42' },
        { type: 'text', text: 'Not that.' },
      ],
      finishReason: 'stop',
      rawFinishReason: 'completed',
      usage: { inputTokens: 10, outputTokens: 200, totalTokens: 210, cachedInputTokens: 0, reasoningTokens: 190 },
    });
  });

  it('keeps unparsable tool arguments as their raw text', () => {
    const response = {
      status: 'completed',
      output: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: '{"broken' }],
      usage: null,
    } as unknown as OpenAI.Responses.Response;
    expect(mapOpenAIResponsesResponse(response, 'req_x')).toEqual({
      content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'f', input: '{"broken' }],
      finishReason: 'tool-calls',
      rawFinishReason: 'completed',
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      requestId: 'req_x',
    });
  });
});
