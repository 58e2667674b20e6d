import type { ChatRequest } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { buildModel, callOptions, collect, sentBody, useEmulator, user } from '@reg/testkit/vitest';
import { openai } from '../src/index.js';

const emulator = useEmulator();
const hello = user('Say hello');

function model(name: string, options: Record<string, unknown> = {}) {
  return buildModel(openai, { model: name, base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai, ...options });
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('openai request mapping', () => {
  it('sends system, multi-turn, images, assistant tool calls and tool results', async () => {
    const request: ChatRequest = {
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Be kind.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', image: 'https://example.com/cat.png', providerOptions: { openai: { detail: 'low' } } },
            { type: 'image', image: 'data:image/gif;base64,R0lGOD' },
            { type: 'image', image: 'aGVsbG8=', mediaType: 'image/webp' },
            { type: 'image', image: PNG },
          ],
        },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool-call', toolCallId: 'call_1', toolName: 'look', input: { deep: true } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'look', output: { animals: ['cat'] } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_2', toolName: 'look', output: 'plain text' }] },
        { role: 'assistant', content: 'A cat.' },
        { role: 'user', content: 'Thanks' },
      ],
    };
    await model('gpt-q1').doGenerate(request, callOptions());
    expect(sentBody(emulator.current, 'gpt-q1').messages).toEqual([
      { role: 'system', content: 'Be brief.\n\nBe kind.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'data:image/gif;base64,R0lGOD' } },
          { type: 'image_url', image_url: { url: 'data:image/webp;base64,aGVsbG8=' } },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(PNG).toString('base64')}` } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"deep":true}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"animals":["cat"]}' },
      { role: 'tool', tool_call_id: 'call_2', content: 'plain text' },
      { role: 'assistant', content: 'A cat.' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('sends tools, tool choice and JSON response formats', async () => {
    const tools = [{ name: 'look', description: 'Looks', inputSchema: { type: 'object', properties: {} } }];
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const m = model('gpt-q2');
    await m.doGenerate({ ...hello, tools, toolChoice: { type: 'tool', toolName: 'look' }, responseFormat: { type: 'json', schema, name: 'answer' } }, callOptions());
    await m.doGenerate({ ...hello, tools, toolChoice: 'required', responseFormat: { type: 'json' } }, callOptions());
    const first = sentBody(emulator.current, 'gpt-q2', 0);
    expect(first.tools).toEqual([{ type: 'function', function: { name: 'look', description: 'Looks', parameters: { type: 'object', properties: {} } } }]);
    expect(first.tool_choice).toEqual({ type: 'function', function: { name: 'look' } });
    expect(first.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema } });
    const second = sentBody(emulator.current, 'gpt-q2', 1);
    expect(second.tool_choice).toBe('required');
    expect(second.response_format).toEqual({ type: 'json_object' });
  });

  it('uses client options as defaults, lets the request win, and passes unknown options through', async () => {
    const m = model('gpt-q3', {
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 50,
      stop: 'END',
      seed: 7,
      reasoning_effort: 'low',
      frequency_penalty: 0.5,
      logit_bias: { '50256': -100 },
      user: 'user-1',
      allowed_role_metadata: ['cache_control'],
      response_format: { type: 'json_object' },
    });
    await m.doGenerate(hello, callOptions());
    await m.doGenerate({ ...hello, temperature: 1, topP: 0.5, maxTokens: 9, stopSequences: ['a', 'b'], responseFormat: { type: 'text' } }, callOptions());
    const defaults = sentBody(emulator.current, 'gpt-q3', 0);
    expect(defaults).toMatchObject({
      model: 'gpt-q3',
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 50,
      stop: ['END'],
      seed: 7,
      reasoning_effort: 'low',
      frequency_penalty: 0.5,
      logit_bias: { '50256': -100 },
      user: 'user-1',
      response_format: { type: 'json_object' },
    });
    expect(defaults).not.toHaveProperty('allowed_role_metadata');
    expect(defaults).not.toHaveProperty('max_completion_tokens');
    const overridden = sentBody(emulator.current, 'gpt-q3', 1);
    expect(overridden).toMatchObject({ temperature: 1, top_p: 0.5, max_tokens: 9, stop: ['a', 'b'], response_format: { type: 'text' } });
  });

  it('sends max_completion_tokens for OpenAI when no field is named, and merges providerOptions.openai last', async () => {
    await model('gpt-q4').doGenerate({ ...hello, maxTokens: 12, providerOptions: { openai: { store: true, temperature: 0.1 }, other: { ignored: 1 } }, temperature: 0.9 }, callOptions());
    const sent = sentBody(emulator.current, 'gpt-q4');
    expect(sent).toMatchObject({ max_completion_tokens: 12, store: true, temperature: 0.1 });
    expect(sent).not.toHaveProperty('max_tokens');
    expect(sent).not.toHaveProperty('ignored');
  });

  it('asks for usage when streaming, unless stream_options is given', async () => {
    await collect(model('gpt-q5').doStream(hello, callOptions()));
    expect(sentBody(emulator.current, 'gpt-q5')).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    await collect(model('gpt-q5', { stream_options: { include_usage: false } }).doStream(hello, callOptions()));
    expect(sentBody(emulator.current, 'gpt-q5', 1).stream_options).toEqual({ include_usage: false });
  });

  it('sends the key as a bearer token, organization, project, headers and query params', async () => {
    await model('gpt-q6', { organization: 'org-1', project: 'proj-1', headers: { 'x-team': 'search' }, query_params: { tag: 'a' } }).doGenerate(hello, callOptions());
    const [request] = emulator.current.requests({ model: 'gpt-q6' });
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.query).toEqual({ tag: 'a' });
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${TEST_CREDENTIALS.openai}`,
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
      'x-team': 'search',
    });
  });

  it('reads the key, organization and project from the registry environment, not process.env', async () => {
    const env = { OPENAI_API_KEY: TEST_CREDENTIALS.openai, OPENAI_ORG_ID: 'org-env' };
    await buildModel(openai, { model: 'gpt-q7', base_url: emulator.current.baseUrls.openai }, { env }).doGenerate(hello, callOptions());
    const [request] = emulator.current.requests({ model: 'gpt-q7' });
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.openai}`);
    expect(request?.headers['openai-organization']).toBe('org-env');
    expect(request?.headers['openai-project']).toBeUndefined();
  });
});
