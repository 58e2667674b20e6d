import { readSigV4Authorization, TEST_CREDENTIALS } from '@reg/testkit';
import { buildModel, callOptions, sentBody, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, test } from 'vitest';
import { awsBedrock } from '../src/index.js';
import { emulatorOptions, uniqueModel } from './bedrock-emulator.js';

const emulator = useEmulator();

describe('the Converse request', () => {
  test('system, multi-turn, inference settings (request wins over options) and additional fields', async () => {
    const model = uniqueModel('request');
    const chat = buildModel(awsBedrock, 
      emulatorOptions(emulator.current, model, {
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
      callOptions(),
    );
    const [request] = emulator.current.requests({ model });
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

  test.each([
    ['auto', { auto: {} }],
    ['required', { any: {} }],
  ] as const)('toolChoice %s', async (choice, expected) => {
    const model = uniqueModel(`choice-${choice}`);
    await buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate(
      { messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'noop', inputSchema: { type: 'object' } }], toolChoice: choice },
      callOptions(),
    );
    expect((sentBody(emulator.current, model).toolConfig as Record<string, unknown>).toolChoice).toEqual(expected);
  });

  test("toolChoice none leaves the tools out (Converse has no 'none')", async () => {
    const model = uniqueModel('choice-none');
    await buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate(
      { messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'noop', inputSchema: { type: 'object' } }], toolChoice: 'none' },
      callOptions(),
    );
    expect(sentBody(emulator.current, model).toolConfig).toBeUndefined();
  });

  test('responseFormat json with a schema uses outputConfig; providerOptions merge into the body', async () => {
    const model = uniqueModel('json');
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    await buildModel(awsBedrock, emulatorOptions(emulator.current, model, { additional_model_request_fields: { top_k: 3 } })).doGenerate(
      {
        messages: [{ role: 'user', content: 'json please' }],
        responseFormat: { type: 'json', schema, name: 'answer' },
        providerOptions: { 'aws-bedrock': { additionalModelRequestFields: { top_k: 9 }, requestMetadata: { team: 'search' } }, openai: { ignored: true } },
      },
      callOptions(),
    );
    const body = sentBody(emulator.current, model);
    expect(body.outputConfig).toEqual({ textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'answer' } } } });
    expect(body.additionalModelRequestFields).toEqual({ top_k: 9 });
    expect(body.requestMetadata).toEqual({ team: 'search' });
    expect(body).not.toHaveProperty('ignored');
  });
});
