import { RegError } from '@reg/core';
import { readSigV4Authorization, startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, createModel, emulatorOptions, uniqueModel } from './helpers.js';

// A 1x1 transparent PNG.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const PNG_BYTES = Buffer.from(PNG_BASE64, 'base64');

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

function bodyOf(model: string, index = 0): Record<string, unknown> {
  return emulator.requests({ model })[index]?.body as Record<string, unknown>;
}

describe('Converse request mapping', () => {
  test('system, multi-turn, inference settings (request wins over options) and additional fields', async () => {
    const model = uniqueModel('request');
    const chat = createModel(
      emulatorOptions(emulator, model, {
        inference_configuration: { max_tokens: 100, temperature: 0.1, top_p: 0.5, stop_sequences: ['STOP'] },
        additional_model_request_fields: { top_k: 5 },
        anthropic_beta: ['token-efficient-tools-2025-02-19'],
      }),
    );
    await chat.doGenerate(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
          { role: 'user', content: 'Hello' },
          { role: 'assistant', content: 'Bonjour' },
          { role: 'user', content: [{ type: 'text', text: 'How are you?' }] },
        ],
        maxTokens: 64,
        temperature: 0.7,
      },
      call(),
    );
    const [request] = emulator.requests({ model });
    expect(request?.path).toBe(`/model/${encodeURIComponent(model)}/converse`);
    expect(request?.httpVersion).toBe('2.0');
    expect(readSigV4Authorization(request!.headers)).toMatchObject({ accessKeyId: TEST_CREDENTIALS.aws.accessKeyId, region: 'us-east-1', service: 'bedrock' });
    expect(request?.body).toEqual({
      system: [{ text: 'Be brief.' }, { text: 'Answer in French.' }],
      messages: [
        { role: 'user', content: [{ text: 'Hello' }] },
        { role: 'assistant', content: [{ text: 'Bonjour' }] },
        { role: 'user', content: [{ text: 'How are you?' }] },
      ],
      inferenceConfig: { maxTokens: 64, temperature: 0.7, topP: 0.5, stopSequences: ['STOP'] },
      // Unknown options go to the model, as BAML passes them through; the explicit field wins.
      additionalModelRequestFields: { anthropic_beta: ['token-efficient-tools-2025-02-19'], top_k: 5 },
    });
  });

  test('tools, tool choice, assistant tool calls and tool results', async () => {
    const model = uniqueModel('tools');
    const chat = createModel(emulatorOptions(emulator, model));
    const tools = [{ name: 'get_weather', description: 'Weather by city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];
    await chat.doGenerate(
      {
        messages: [
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Checking.' },
              { type: 'tool-call', toolCallId: 'tooluse_1', toolName: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool-call', toolCallId: 'tooluse_2', toolName: 'get_weather', input: { city: 'Rome' } },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'tooluse_1', toolName: 'get_weather', output: { celsius: 21 } },
              { type: 'tool-result', toolCallId: 'tooluse_2', toolName: 'get_weather', output: 'no data', isError: true },
            ],
          },
        ],
        tools,
        toolChoice: { type: 'tool', toolName: 'get_weather' },
      },
      call(),
    );
    const body = bodyOf(model);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { text: 'Checking.' },
          { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
          { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather', input: { city: 'Rome' } } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'tooluse_1', content: [{ json: { celsius: 21 } }], status: 'success' } },
          { toolResult: { toolUseId: 'tooluse_2', content: [{ text: 'no data' }], status: 'error' } },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'get_weather', description: 'Weather by city', inputSchema: { json: tools[0]!.inputSchema } } }],
      toolChoice: { tool: { name: 'get_weather' } },
    });
  });

  test.each([
    ['auto', { auto: {} }],
    ['required', { any: {} }],
  ] as const)('toolChoice %s', async (choice, expected) => {
    const model = uniqueModel(`choice-${choice}`);
    await createModel(emulatorOptions(emulator, model)).doGenerate(
      { messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'noop', inputSchema: { type: 'object' } }], toolChoice: choice },
      call(),
    );
    expect((bodyOf(model).toolConfig as Record<string, unknown>).toolChoice).toEqual(expected);
  });

  test("toolChoice none leaves the tools out (Converse has no 'none')", async () => {
    const model = uniqueModel('choice-none');
    await createModel(emulatorOptions(emulator, model)).doGenerate(
      { messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'noop', inputSchema: { type: 'object' } }], toolChoice: 'none' },
      call(),
    );
    expect(bodyOf(model).toolConfig).toBeUndefined();
  });

  test('images from base64 + mediaType, a data URL and raw bytes go as bytes with their format', async () => {
    const model = uniqueModel('images');
    await createModel(emulatorOptions(emulator, model)).doGenerate(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What are these?' },
              { type: 'image', image: PNG_BASE64, mediaType: 'image/png' },
              { type: 'image', image: `data:image/jpeg;base64,${PNG_BASE64}` },
              { type: 'image', image: new Uint8Array(PNG_BYTES) },
            ],
          },
        ],
      },
      call(),
    );
    // The SDK sends blobs as base64 in the JSON body.
    const content = (bodyOf(model).messages as Array<{ content: unknown[] }>)[0]!.content;
    expect(content).toEqual([
      { text: 'What are these?' },
      { image: { format: 'png', source: { bytes: PNG_BASE64 } } },
      { image: { format: 'jpeg', source: { bytes: PNG_BASE64 } } },
      { image: { format: 'png', source: { bytes: PNG_BASE64 } } },
    ]);
  });

  test('an http image URL fails before any request, naming the message', async () => {
    const model = uniqueModel('image-url');
    const error = await createModel(emulatorOptions(emulator, model))
      .doGenerate({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: [{ type: 'image', image: 'https://example.com/cat.png' }] }] }, call())
      .catch((caught: unknown) => caught);
    expect(RegError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect((error as Error).message).toMatch(/messages\[2\].*http\(s\) URL/);
    expect(emulator.requests({ model })).toHaveLength(0);
  });

  test('responseFormat json with a schema uses outputConfig; providerOptions merge into the body', async () => {
    const model = uniqueModel('json');
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    await createModel(emulatorOptions(emulator, model, { additional_model_request_fields: { top_k: 3 } })).doGenerate(
      {
        messages: [{ role: 'user', content: 'json please' }],
        responseFormat: { type: 'json', schema, name: 'answer' },
        providerOptions: { 'aws-bedrock': { additionalModelRequestFields: { top_k: 9 }, requestMetadata: { team: 'search' } }, openai: { ignored: true } },
      },
      call(),
    );
    const body = bodyOf(model);
    expect(body.outputConfig).toEqual({ textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'answer' } } } });
    expect(body.additionalModelRequestFields).toEqual({ top_k: 9 });
    expect(body.requestMetadata).toEqual({ team: 'search' });
    expect(body).not.toHaveProperty('ignored');
  });

  test('consecutive user turns merge, since Converse requires alternating roles', async () => {
    const model = uniqueModel('merge');
    await createModel(emulatorOptions(emulator, model)).doGenerate(
      { messages: [{ role: 'user', content: 'one' }, { role: 'user', content: 'two' }] },
      call(),
    );
    expect(bodyOf(model).messages).toEqual([{ role: 'user', content: [{ text: 'one' }, { text: 'two' }] }]);
  });
});
