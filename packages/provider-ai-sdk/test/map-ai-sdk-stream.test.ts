import type { LanguageModelV2, LanguageModelV2StreamPart } from '@ai-sdk/provider';
import { ClientRegistry, type ModelStreamPart } from '@reg/core';
import { buildModel, callOptions, collect, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { aiSdk } from '../src/index.js';
import { clientOptions } from './emulated-client.js';
import { v2Model } from './legacy-v2-model.js';

const emulator = useEmulator();
const hello = user('Hello');
const createModel = (model: string) => buildModel(aiSdk, clientOptions(emulator.current, model));
const weather = [{ name: 'get_weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];

describe('streams from @ai-sdk/openai-compatible', () => {
  it('streams text deltas and tool input deltas named by their tool, then one finish with usage', async () => {
    emulator.current.script('stream', {
      reply: { text: 'Checking.', toolCalls: [{ id: 'call_s', name: 'get_weather', arguments: { city: 'Rome' } }], usage: { inputTokens: 9, outputTokens: 3 } },
      chunkSize: 4,
    });
    const parts = await collect(createModel('stream').doStream({ ...hello, tools: weather }, callOptions()));
    const texts = parts.filter((part) => part.type === 'text-delta');
    expect(texts.map((part) => part.text).join('')).toBe('Checking.');
    const deltas = parts.filter((part): part is Extract<ModelStreamPart, { type: 'tool-call-delta' }> => part.type === 'tool-call-delta');
    expect(deltas.every((part) => part.toolCallId === 'call_s' && part.toolName === 'get_weather')).toBe(true);
    expect(JSON.parse(deltas.map((part) => part.inputDelta).join(''))).toEqual({ city: 'Rome' });
    expect(parts.filter((part) => part.type === 'tool-call')).toEqual([{ type: 'tool-call', toolCallId: 'call_s', toolName: 'get_weather', input: { city: 'Rome' } }]);
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_calls',
      usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12 },
    });
  });
});

describe('streams of language models passed in code, of the v2 specification', () => {
  const model = (parts: LanguageModelV2StreamPart[]) => buildModel(aiSdk, { model: v2Model(parts) });

  it('gives a whole tool call a delta of its own, and skips empty text deltas', async () => {
    const parts = await collect(
      model([
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 'a' },
        { type: 'text-delta', id: 'a', delta: '' },
        { type: 'text-delta', id: 'a', delta: 'Hi' },
        { type: 'text-end', id: 'a' },
        { type: 'tool-call', toolCallId: 't9', toolName: 'get_weather', input: '{"city":"Quito"}' },
        { type: 'finish', finishReason: 'unknown', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
      ]).doStream(hello, callOptions()),
    );
    expect(parts).toEqual([
      { type: 'text-delta', text: 'Hi' },
      { type: 'tool-call-delta', toolCallId: 't9', toolName: 'get_weather', inputDelta: '{"city":"Quito"}' },
      { type: 'tool-call', toolCallId: 't9', toolName: 'get_weather', input: { city: 'Quito' } },
      { type: 'finish', finishReason: 'other', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
    ]);
  });

  it('works through a registry, with reg retrying an in-band overload', async () => {
    let calls = 0;
    const base = v2Model([]);
    const flaky: LanguageModelV2 = {
      ...base,
      doStream: async () => ({
        stream: new ReadableStream({
          start(controller) {
            calls++;
            if (calls === 1) controller.enqueue({ type: 'error', error: { error: { type: 'overloaded_error', message: 'Overloaded' } } });
            else {
              controller.enqueue({ type: 'text-delta', id: 'a', delta: 'Fine now.' });
              controller.enqueue({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } });
            }
            controller.close();
          },
        }),
      }),
    };
    const cr = new ClientRegistry({ providers: [aiSdk], env: {} });
    cr.addRetryPolicy('Quick', { max_retries: 1, strategy: { type: 'constant_delay', delay_ms: 0 } });
    cr.addLlmClient('Legacy', 'ai-sdk', { model: flaky }, 'Quick');
    const parts = [];
    for await (const part of cr.stream(hello, { client: 'Legacy' })) parts.push(part);
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.text)).toEqual(['Fine now.']);
    expect(calls).toBe(2);
  });
});
