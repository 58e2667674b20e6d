import { buildModel, callOptions, sentBody, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { aiSdk } from '../src/index.js';
import { clientOptions } from './emulated-client.js';

const emulator = useEmulator();
const createModel = (model: string, extra: Record<string, unknown> = {}) => buildModel(aiSdk, clientOptions(emulator.current, model, extra));

describe('call options (ChatRequest and client options -> AI SDK call options -> the vendor body)', () => {
  it('sends tools, tool choice, JSON schema output and sampling options; the request wins over client options', async () => {
    const model = createModel('options', {
      settings: { supportsStructuredOutputs: true },
      temperature: 0.9,
      max_tokens: 100,
      top_p: 0.5,
      stop_sequences: ['STOP'],
      seed: 42,
      presence_penalty: 0.25,
      frequency_penalty: 0.75,
    });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    await model.doGenerate(
      {
        messages: [{ role: 'user', content: 'Plan a trip.' }],
        temperature: 0.1,
        maxTokens: 64,
        stopSequences: ['END'],
        tools: [{ name: 'book', description: 'Books a trip.', inputSchema: schema }],
        toolChoice: { type: 'tool', toolName: 'book' },
        responseFormat: { type: 'json', schema, name: 'trip' },
      },
      callOptions(),
    );
    expect(sentBody(emulator.current, 'options')).toMatchObject({
      model: 'options',
      temperature: 0.1,
      max_tokens: 64,
      top_p: 0.5,
      stop: ['END'],
      seed: 42,
      presence_penalty: 0.25,
      frequency_penalty: 0.75,
      tools: [{ type: 'function', function: { name: 'book', description: 'Books a trip.', parameters: schema } }],
      tool_choice: { type: 'function', function: { name: 'book' } },
      response_format: { type: 'json_schema', json_schema: { name: 'trip', schema } },
    });
  });

  it('maps every tool choice', async () => {
    const model = createModel('choices');
    const tools = [{ name: 'noop', inputSchema: { type: 'object', properties: {} } }];
    for (const toolChoice of ['auto', 'none', 'required'] as const) {
      await model.doGenerate({ messages: [{ role: 'user', content: 'Hi' }], tools, toolChoice }, callOptions());
    }
    expect([0, 1, 2].map((index) => sentBody(emulator.current, 'choices', index).tool_choice)).toEqual(['auto', 'none', 'required']);
  });

  it('sends unknown client options and providerOptions in the body, and per-call headers', async () => {
    const model = createModel('passthrough', {
      user: 'client-user',
      logit_bias: { '50256': -100 },
      headers: { 'x-team': 'search' },
      provider_options: { emulated: { service_tier: 'flex' } },
    });
    await model.doGenerate(
      {
        messages: [{ role: 'user', content: 'Hi' }],
        providerOptions: { emulated: { service_tier: 'priority', metadata: { run: 'r1' } }, 'ai-sdk': { seed: 9, headers: { 'x-call': 'one' } } },
      },
      callOptions(),
    );
    const [received] = emulator.current.requests({ model: 'passthrough' });
    expect(received?.body).toMatchObject({ user: 'client-user', logit_bias: { '50256': -100 }, service_tier: 'priority', metadata: { run: 'r1' }, seed: 9 });
    expect(received?.headers['x-call']).toBe('one');
    expect(received?.headers['x-team']).toBeUndefined();
    await model.doGenerate({ messages: [{ role: 'user', content: 'Hi' }] }, callOptions());
    const second = emulator.current.requests({ model: 'passthrough' })[1];
    expect(second?.headers['x-team']).toBe('search');
    expect(second?.body).toMatchObject({ service_tier: 'flex' });
  });

  it('asks for stream usage when the package is told to (includeUsage)', async () => {
    const model = createModel('stream-body');
    for await (const part of model.doStream({ messages: [{ role: 'user', content: 'Hi' }] }, callOptions())) void part;
    expect(sentBody(emulator.current, 'stream-body')).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });
});
