import { RegError } from '@reg/core';
import { buildModel, callOptions, failure, sentBody, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, test } from 'vitest';
import { awsBedrock } from '../src/index.js';
import { emulatorOptions, uniqueModel } from './bedrock-emulator.js';

// A 1x1 transparent PNG.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const PNG_BYTES = Buffer.from(PNG_BASE64, 'base64');

const emulator = useEmulator();

describe('Converse messages', () => {
  test('tools, tool choice, assistant tool calls and tool results', async () => {
    const model = uniqueModel('tools');
    const chat = buildModel(awsBedrock, emulatorOptions(emulator.current, model));
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
      callOptions(),
    );
    const body = sentBody(emulator.current, model);
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

  test('images from base64 + mediaType, a data URL and raw bytes go as bytes with their format', async () => {
    const model = uniqueModel('images');
    await buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate(
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
      callOptions(),
    );
    // The SDK sends blobs as base64 in the JSON body.
    const content = (sentBody(emulator.current, model).messages as Array<{ content: unknown[] }>)[0]!.content;
    expect(content).toEqual([
      { text: 'What are these?' },
      { image: { format: 'png', source: { bytes: PNG_BASE64 } } },
      { image: { format: 'jpeg', source: { bytes: PNG_BASE64 } } },
      { image: { format: 'png', source: { bytes: PNG_BASE64 } } },
    ]);
  });

  test('an http image URL fails before any request, naming the message', async () => {
    const model = uniqueModel('image-url');
    const error = await buildModel(awsBedrock, emulatorOptions(emulator.current, model))
      .doGenerate({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: [{ type: 'image', image: 'https://example.com/cat.png' }] }] }, callOptions())
      .catch((caught: unknown) => caught);
    expect(RegError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect((error as Error).message).toMatch(/messages\[2\].*http\(s\) URL/);
    expect(emulator.current.requests({ model })).toHaveLength(0);
  });

  test('an image of another format fails before any request, naming the format it has', async () => {
    const model = uniqueModel('image-pdf');
    const pdf = new TextEncoder().encode('%PDF-1.7\n');
    const error = await failure(buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate({ messages: [{ role: 'user', content: [{ type: 'image', image: pdf }] }] }, callOptions()));
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false, client: 'Test', provider: 'aws-bedrock', model });
    expect((error as Error).message).toMatch(/messages\[0\] has media type application\/pdf; Bedrock Converse takes image\/png/);
    expect(emulator.current.requests({ model })).toHaveLength(0);
  });

  test('consecutive user turns merge, since Converse requires alternating roles', async () => {
    const model = uniqueModel('merge');
    await buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate(
      { messages: [{ role: 'user', content: 'one' }, { role: 'user', content: 'two' }] },
      callOptions(),
    );
    expect(sentBody(emulator.current, model).messages).toEqual([{ role: 'user', content: [{ text: 'one' }, { text: 'two' }] }]);
  });
});
