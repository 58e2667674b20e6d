import { buildModel, callOptions, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { aiSdk } from '../src/index.js';
import { clientOptions } from './emulated-client.js';
import { v2Model } from './legacy-v2-model.js';

const emulator = useEmulator();
const hello = user('Hello');
const createModel = (model: string) => buildModel(aiSdk, clientOptions(emulator.current, model));
const weather = [{ name: 'get_weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];

describe('results from @ai-sdk/openai-compatible', () => {
  it('maps text, usage with cached reads, the raw finish reason and the request id', async () => {
    emulator.current.script('result', { reply: { text: 'Bonjour.', usage: { inputTokens: 50, outputTokens: 4, cachedInputTokens: 20 } } });
    const result = await createModel('result').doGenerate(hello, callOptions());
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
    const model = createModel('tools');
    const tools = await model.doGenerate({ ...hello, tools: weather }, callOptions());
    expect(tools.content).toEqual([{ type: 'tool-call', toolCallId: 'call_a', toolName: 'get_weather', input: { city: 'Oslo' } }]);
    expect(tools).toMatchObject({ finishReason: 'tool-calls', rawFinishReason: 'tool_calls' });
    expect(await model.doGenerate(hello, callOptions())).toMatchObject({ finishReason: 'length', rawFinishReason: 'length' });
  });
});

describe('results of language models passed in code, of the v2 specification', () => {
  it('maps flat usage and string finish reasons, joins text parts and leaves out provider-executed tools', async () => {
    const result = await buildModel(aiSdk, { model: v2Model([]) }).doGenerate(hello, callOptions());
    expect(result).toEqual({
      content: [
        { type: 'text', text: 'Hello there.' },
        { type: 'tool-call', toolCallId: 't1', toolName: 'get_weather', input: { city: 'Lima' } },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 4 },
    });
  });
});
