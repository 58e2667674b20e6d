import type { ChatRequest } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { buildModel, callOptions, sentBody, useEmulator, user } from '@reg/testkit/vitest';
import { openaiResponses } from '../src/index.js';

const emulator = useEmulator();
const hello = user('Say hello');

function model(name: string, extra: Record<string, unknown> = {}) {
  return buildModel(openaiResponses, { model: name, base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai, ...extra });
}

// A 1x1 transparent PNG.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('openai-responses request mapping', () => {
  it('posts to /v1/responses with the bearer key and the messages as input items', async () => {
    await model('req-basic').doGenerate(hello, callOptions());
    const [recorded] = emulator.current.requests({ model: 'req-basic' });
    expect(recorded?.path).toBe('/v1/responses');
    expect(recorded?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.openai}`);
    expect(recorded?.body).toEqual({ model: 'req-basic', input: [{ role: 'user', content: 'Say hello' }], stream: false });
  });

  it('maps system, user parts, images, assistant tool calls and tool results in order', async () => {
    const request: ChatRequest = {
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be terse.' }, { type: 'text', text: 'Rule two.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look:' },
            { type: 'image', image: 'https://example.com/cat.png' },
            { type: 'image', image: `data:image/png;base64,${PNG_BASE64}` },
            { type: 'image', image: PNG_BASE64, mediaType: 'image/png' },
            { type: 'image', image: new Uint8Array(Buffer.from(PNG_BASE64, 'base64')) },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: { id: 7 } },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_1', toolName: 'lookup', output: { found: true } },
            { type: 'tool-result', toolCallId: 'call_2', toolName: 'lookup', output: 'plain text', isError: true },
          ],
        },
        { role: 'assistant', content: 'Done.' },
      ],
    };
    await model('req-messages').doGenerate(request, callOptions());
    const dataUrl = `data:image/png;base64,${PNG_BASE64}`;
    expect(sentBody(emulator.current, 'req-messages').input).toEqual([
      { role: 'system', content: 'Be terse.\n\nRule two.' },
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'Look:' },
          { type: 'input_image', detail: 'auto', image_url: 'https://example.com/cat.png' },
          { type: 'input_image', detail: 'auto', image_url: dataUrl },
          { type: 'input_image', detail: 'auto', image_url: dataUrl },
          { type: 'input_image', detail: 'auto', image_url: dataUrl },
        ],
      },
      { role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"id":7}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"found":true}' },
      { type: 'function_call_output', call_id: 'call_2', output: 'plain text' },
      { role: 'assistant', content: 'Done.' },
    ]);
  });

  it('maps tools, each tool choice, and the request settings; drops stop sequences the API does not have', async () => {
    const tools = [{ name: 'lookup', description: 'Finds a thing.', inputSchema: { type: 'object', properties: { id: { type: 'number' } } } }];
    const choices: Array<[ChatRequest['toolChoice'], unknown]> = [
      ['auto', 'auto'],
      ['none', 'none'],
      ['required', 'required'],
      [{ type: 'tool', toolName: 'lookup' }, { type: 'function', name: 'lookup' }],
    ];
    const subject = model('req-tools');
    for (const [toolChoice] of choices) {
      await subject.doGenerate({ ...hello, tools, toolChoice, maxTokens: 99, temperature: 0.2, topP: 0.5, stopSequences: ['END'] }, callOptions());
    }
    choices.forEach(([, expected], index) => {
      const sent = sentBody(emulator.current, 'req-tools', index);
      expect(sent.tool_choice).toEqual(expected);
      expect(sent.tools).toEqual([
        { type: 'function', name: 'lookup', description: 'Finds a thing.', parameters: tools[0]?.inputSchema, strict: false },
      ]);
      expect(sent).toMatchObject({ max_output_tokens: 99, temperature: 0.2, top_p: 0.5 });
      expect(sent).not.toHaveProperty('stop');
    });
  });

  it('asks for JSON through text.format, with the schema when there is one', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    const subject = model('req-json', { text: { verbosity: 'low' } });
    await subject.doGenerate({ ...hello, responseFormat: { type: 'json', schema, name: 'person' } }, callOptions());
    await subject.doGenerate({ ...hello, responseFormat: { type: 'json' } }, callOptions());
    await subject.doGenerate({ ...hello, responseFormat: { type: 'text' } }, callOptions());
    expect(sentBody(emulator.current, 'req-json', 0).text).toEqual({ verbosity: 'low', format: { type: 'json_schema', name: 'person', schema, strict: false } });
    expect(sentBody(emulator.current, 'req-json', 1).text).toEqual({ verbosity: 'low', format: { type: 'json_object' } });
    expect(sentBody(emulator.current, 'req-json', 2).text).toEqual({ verbosity: 'low' });
  });

  it('sends client options as defaults, translating Chat Completions names, and passes unknown ones through', async () => {
    const subject = model('req-defaults', {
      temperature: 0.7,
      max_tokens: 256,
      reasoning_effort: 'low',
      instructions: 'You are helpful.',
      store: false,
      top_p: 0.9,
      service_tier: 'flex',
      tools: [{ type: 'web_search' }],
    });
    await subject.doGenerate(hello, callOptions());
    await subject.doGenerate(
      {
        ...hello,
        temperature: 0.1,
        tools: [{ name: 'f', inputSchema: { type: 'object' } }],
        providerOptions: { 'openai-responses': { store: true, prompt_cache_key: 'k1' }, openai: { store: 'ignored' } },
      },
      callOptions(),
    );
    expect(sentBody(emulator.current, 'req-defaults', 0)).toEqual({
      model: 'req-defaults',
      input: [{ role: 'user', content: 'Say hello' }],
      stream: false,
      temperature: 0.7,
      max_output_tokens: 256,
      reasoning: { effort: 'low' },
      instructions: 'You are helpful.',
      store: false,
      top_p: 0.9,
      service_tier: 'flex',
      tools: [{ type: 'web_search' }],
    });
    const second = sentBody(emulator.current, 'req-defaults', 1);
    expect(second).toMatchObject({ temperature: 0.1, store: true, prompt_cache_key: 'k1', max_output_tokens: 256 });
    expect(second.tools).toEqual([{ type: 'web_search' }, { type: 'function', name: 'f', description: null, parameters: { type: 'object' }, strict: false }]);
  });

  it('sends the organization, project, custom headers and query parameters, from options or the registry environment', async () => {
    await model('req-headers', { organization: 'org-1', project: 'proj-1', headers: { 'x-trace': 'abc' }, query_params: { tier: 'x' } }).doGenerate(hello, callOptions());
    expect(emulator.current.requests({ model: 'req-headers' })[0]?.query).toEqual({ tier: 'x' });
    expect(sentBody(emulator.current, 'req-headers')).not.toHaveProperty('query_params');
    const fromEnv = buildModel(
      openaiResponses,
      { model: 'req-headers-env', base_url: emulator.current.baseUrls.openai },
      { env: { OPENAI_API_KEY: TEST_CREDENTIALS.openai, OPENAI_ORG_ID: 'org-env', OPENAI_PROJECT_ID: 'proj-env' } },
    );
    await fromEnv.doGenerate(hello, callOptions());
    expect(emulator.current.requests({ model: 'req-headers' })[0]?.headers).toMatchObject({
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
      'x-trace': 'abc',
    });
    expect(emulator.current.requests({ model: 'req-headers-env' })[0]?.headers).toMatchObject({
      authorization: `Bearer ${TEST_CREDENTIALS.openai}`,
      'openai-organization': 'org-env',
      'openai-project': 'proj-env',
    });
  });
});
