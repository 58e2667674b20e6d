import type { ChatRequest } from '@reg/core';
import { describe, expect, it } from 'vitest';
import { call, createModel, sentBody, useEmulator } from './helpers.js';

const emulator = useEmulator();
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
const PNG_BASE64 = Buffer.from(PNG).toString('base64');

describe('request mapping (ChatRequest -> AI SDK call options -> the vendor body)', () => {
  it('sends system, multi-turn, images, tool calls and tool results', async () => {
    const request: ChatRequest = {
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Answer in French.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What are these?' },
            { type: 'image', image: 'https://example.com/cat.png' },
            { type: 'image', image: `data:image/jpeg;base64,${PNG_BASE64}` },
            { type: 'image', image: PNG_BASE64, mediaType: 'image/png' },
            { type: 'image', image: PNG },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me look.' },
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: { id: 7 } },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_1', toolName: 'lookup', output: { found: true } },
            { type: 'tool-result', toolCallId: 'call_2', toolName: 'lookup', output: 'plain text' },
          ],
        },
        { role: 'user', content: 'Thanks.' },
      ],
    };
    await createModel(emulator.current, 'messages').doGenerate(request, call());
    expect(sentBody(emulator.current, 'messages').messages).toEqual([
      { role: 'system', content: 'Be brief.\nAnswer in French.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What are these?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${PNG_BASE64}` } },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
        ],
      },
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":7}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"found":true}' },
      { role: 'tool', tool_call_id: 'call_2', content: 'plain text' },
      { role: 'user', content: 'Thanks.' },
    ]);
  });

  it('sends tools, tool choice, JSON schema output and sampling options; the request wins over client options', async () => {
    const model = createModel(emulator.current, 'options', {
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
      call(),
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
    const model = createModel(emulator.current, 'choices');
    const tools = [{ name: 'noop', inputSchema: { type: 'object', properties: {} } }];
    for (const toolChoice of ['auto', 'none', 'required'] as const) {
      await model.doGenerate({ messages: [{ role: 'user', content: 'Hi' }], tools, toolChoice }, call());
    }
    expect([0, 1, 2].map((index) => sentBody(emulator.current, 'choices', index).tool_choice)).toEqual(['auto', 'none', 'required']);
  });

  it('sends unknown client options and providerOptions in the body, and per-call headers', async () => {
    const model = createModel(emulator.current, 'passthrough', {
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
      call(),
    );
    const [received] = emulator.current.requests({ model: 'passthrough' });
    expect(received?.body).toMatchObject({ user: 'client-user', logit_bias: { '50256': -100 }, service_tier: 'priority', metadata: { run: 'r1' }, seed: 9 });
    expect(received?.headers['x-call']).toBe('one');
    expect(received?.headers['x-team']).toBeUndefined();
    await model.doGenerate({ messages: [{ role: 'user', content: 'Hi' }] }, call());
    const second = emulator.current.requests({ model: 'passthrough' })[1];
    expect(second?.headers['x-team']).toBe('search');
    expect(second?.body).toMatchObject({ service_tier: 'flex' });
  });

  it('asks for stream usage when the package is told to (includeUsage)', async () => {
    const model = createModel(emulator.current, 'stream-body');
    for await (const part of model.doStream({ messages: [{ role: 'user', content: 'Hi' }] }, call())) void part;
    expect(sentBody(emulator.current, 'stream-body')).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });
});
