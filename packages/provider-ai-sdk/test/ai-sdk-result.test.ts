import type { LanguageModelV2, LanguageModelV2StreamPart } from '@ai-sdk/provider';
import { ClientRegistry, type ModelStreamPart } from '@reg/core';
import { describe, expect, it } from 'vitest';
import { aiSdk } from '../src/index.js';
import { call, collect, context, createModel, useEmulator } from './helpers.js';

const emulator = useEmulator();
const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] };
const weather = [{ name: 'get_weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];

describe('results from @ai-sdk/openai-compatible', () => {
  it('maps text, usage with cached reads, the raw finish reason and the request id', async () => {
    emulator.current.script('result', { reply: { text: 'Bonjour.', usage: { inputTokens: 50, outputTokens: 4, cachedInputTokens: 20 } } });
    const result = await createModel(emulator.current, 'result').doGenerate(hello, call());
    expect(result).toEqual({
      content: [{ type: 'text', text: 'Bonjour.' }],
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 50, outputTokens: 4, totalTokens: 54, cachedInputTokens: 20 },
      requestId: expect.stringMatching(/^req_/),
    });
  });

  it('maps tool calls with parsed input, and length finishes', async () => {
    emulator.current.script('tools', {
      sequence: [{ toolCalls: [{ id: 'call_a', name: 'get_weather', arguments: { city: 'Oslo' } }] }, { text: 'Cut', finishReason: 'length' }],
    });
    const model = createModel(emulator.current, 'tools');
    const tools = await model.doGenerate({ ...hello, tools: weather }, call());
    expect(tools.content).toEqual([{ type: 'tool-call', toolCallId: 'call_a', toolName: 'get_weather', input: { city: 'Oslo' } }]);
    expect(tools).toMatchObject({ finishReason: 'tool-calls', rawFinishReason: 'tool_calls' });
    expect(await model.doGenerate(hello, call())).toMatchObject({ finishReason: 'length', rawFinishReason: 'length' });
  });

  it('streams text deltas and tool input deltas named by their tool, then one finish with usage', async () => {
    emulator.current.script('stream', {
      reply: { text: 'Checking.', toolCalls: [{ id: 'call_s', name: 'get_weather', arguments: { city: 'Rome' } }], usage: { inputTokens: 9, outputTokens: 3 } },
      chunkSize: 4,
    });
    const parts = await collect(createModel(emulator.current, 'stream').doStream({ ...hello, tools: weather }, call()));
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
      usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12, cachedInputTokens: 0 },
    });
  });
});

/** A language model of the older v2 specification, as some community packages still ship. */
function v2Model(parts: LanguageModelV2StreamPart[]): LanguageModelV2 {
  return {
    specificationVersion: 'v2',
    provider: 'legacy.chat',
    modelId: 'legacy-model',
    supportedUrls: {},
    doGenerate: async () => ({
      content: [
        { type: 'reasoning', text: 'hidden' },
        { type: 'text', text: 'Hello ' },
        { type: 'text', text: 'there.' },
        { type: 'tool-call', toolCallId: 't1', toolName: 'get_weather', input: '{"city":"Lima"}' },
        { type: 'tool-call', toolCallId: 't2', toolName: 'web_search', input: '{}', providerExecuted: true },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 4 },
      warnings: [],
    }),
    doStream: async () => ({
      stream: new ReadableStream({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      }),
    }),
  };
}

describe('language models passed in code, of the v2 specification', () => {
  const model = (parts: LanguageModelV2StreamPart[] = []) => aiSdk.createModel(aiSdk.parseOptions({ model: v2Model(parts) }, context), context);

  it('maps flat usage and string finish reasons, joins text parts and leaves out provider-executed tools', async () => {
    const result = await model().doGenerate(hello, call());
    expect(result).toEqual({
      content: [
        { type: 'text', text: 'Hello there.' },
        { type: 'tool-call', toolCallId: 't1', toolName: 'get_weather', input: { city: 'Lima' } },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 4 },
    });
  });

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
      ]).doStream(hello, call()),
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
