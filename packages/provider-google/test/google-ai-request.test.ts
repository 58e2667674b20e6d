import { TEST_CREDENTIALS, startEmulator, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { googleAi } from '../src/index.js';
import { buildModel, call, failure, user } from './helpers.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

function gemini(options: Record<string, unknown> = {}) {
  return buildModel(googleAi, { model: 'gemini-req', base_url: emulator.baseUrls.gemini, api_key: TEST_CREDENTIALS.gemini, ...options });
}

function lastBody(): Record<string, unknown> {
  return emulator.requests({ model: 'gemini-req' }).at(-1)?.body as Record<string, unknown>;
}

describe('google-ai request mapping', () => {
  it('sends system instructions, roles user/model, and the key in x-goog-api-key on v1beta', async () => {
    await gemini().doGenerate(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: [{ type: 'text', text: 'Again' }] },
        ],
      },
      call(),
    );
    const [request] = emulator.requests({ model: 'gemini-req' });
    expect(request?.path).toBe('/v1beta/models/gemini-req:generateContent');
    expect(request?.headers['x-goog-api-key']).toBe(TEST_CREDENTIALS.gemini);
    expect(request?.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'Again' }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      // The SDK always renders a generationConfig, empty when nothing is set.
      generationConfig: {},
    });
  });

  it('maps images: base64, data URL, bytes as inlineData; http URLs as fileData', async () => {
    await gemini().doGenerate(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', image: 'aGVsbG8=', mediaType: 'image/webp' },
              { type: 'image', image: 'data:image/jpeg;base64,/9j/AA==' },
              { type: 'image', image: new Uint8Array([1, 2, 3]), mediaType: 'image/gif' },
              { type: 'image', image: 'https://example.com/cat.png' },
              { type: 'text', text: 'What are these?' },
            ],
          },
        ],
      },
      call(),
    );
    expect(lastBody().contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'image/webp', data: 'aGVsbG8=' } },
          { inlineData: { mimeType: 'image/jpeg', data: '/9j/AA==' } },
          { inlineData: { mimeType: 'image/gif', data: 'AQID' } },
          { fileData: { fileUri: 'https://example.com/cat.png', mimeType: 'image/png' } },
          { text: 'What are these?' },
        ],
      },
    ]);
  });

  it('maps tools, tool choice, function calls and results (generated ids are not sent back)', async () => {
    const tools = [{ name: 'get_weather', description: 'Weather by city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];
    await gemini().doGenerate(
      {
        tools,
        toolChoice: { type: 'tool', toolName: 'get_weather' },
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', toolCallId: 'gemini-call-abc-0', toolName: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool-call', toolCallId: 'vendor-id-1', toolName: 'get_weather', input: { city: 'Rome' } },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'gemini-call-abc-0', toolName: 'get_weather', output: { temperature: 21 } },
              { type: 'tool-result', toolCallId: 'vendor-id-1', toolName: 'get_weather', output: 'sunny' },
              { type: 'tool-result', toolCallId: 'vendor-id-1', toolName: 'get_weather', output: 'boom', isError: true },
            ],
          },
        ],
      },
      call(),
    );
    const body = lastBody();
    expect(body.tools).toEqual([
      { functionDeclarations: [{ name: 'get_weather', description: 'Weather by city', parametersJsonSchema: tools[0]?.inputSchema }] },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { id: 'vendor-id-1', name: 'get_weather', args: { city: 'Rome' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temperature: 21 } } },
          { functionResponse: { id: 'vendor-id-1', name: 'get_weather', response: { output: 'sunny' } } },
          { functionResponse: { id: 'vendor-id-1', name: 'get_weather', response: { error: 'boom' } } },
        ],
      },
    ]);
  });

  it.each([
    ['auto', 'AUTO'],
    ['none', 'NONE'],
    ['required', 'ANY'],
  ] as const)('tool choice %s -> %s', async (choice, mode) => {
    await gemini().doGenerate(user('x', { tools: [{ name: 't', inputSchema: { type: 'object' } }], toolChoice: choice }), call());
    expect(lastBody().toolConfig).toEqual({ functionCallingConfig: { mode } });
  });

  it('JSON response format sets responseMimeType and responseJsonSchema', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    await gemini().doGenerate(user('x', { responseFormat: { type: 'json', schema } }), call());
    expect(lastBody().generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema });
  });

  it('client options give generation defaults, the request wins, unknown options pass through', async () => {
    const model = gemini({
      temperature: 0.3,
      max_tokens: 100,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      generation_config: { candidate_count: 1, seed: 7 },
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
      thinking_config: { thinkingBudget: 0 },
      cachedContent: 'cachedContents/abc',
    });
    await model.doGenerate(user('x', { temperature: 0.8, maxTokens: 50, providerOptions: { 'google-ai': { presencePenalty: 0.5, labels: { team: 'a' } } } }), call());
    const body = lastBody();
    expect(body.generationConfig).toEqual({
      temperature: 0.8,
      maxOutputTokens: 50,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      candidateCount: 1,
      seed: 7,
      presencePenalty: 0.5,
      thinkingConfig: { thinkingBudget: 0 },
    });
    expect(body.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }]);
    expect(body.cachedContent).toBe('cachedContents/abc');
    expect(body.labels).toEqual({ team: 'a' });
  });

  it('an option the SDK does not know goes into the body as is (and the API judges it)', async () => {
    const error = await failure(gemini({ not_a_field: 1 }).doGenerate(user('x'), call()));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('Unknown name "not_a_field"');
    expect(emulator.requests({ model: 'gemini-req' })[0]?.rawBody.toString()).toContain('"not_a_field":1');
  });

  it('a BAML base_url ending in the API version is accepted; query_params are appended', async () => {
    await gemini({ base_url: `${emulator.baseUrls.gemini}/v1`, query_params: { trace: 'on' } }).doGenerate(user('x'), call());
    const [request] = emulator.requests({ model: 'gemini-req' });
    expect(request?.path).toBe('/v1/models/gemini-req:generateContent');
    expect(request?.query).toEqual({ trace: 'on' });
  });
});
