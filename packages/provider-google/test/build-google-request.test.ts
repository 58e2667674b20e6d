import type { RegError } from '@reg/core';
import { callOptions, failure, sentBody, user, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { geminiModel } from './google-models.js';

const emulator = useEmulator();
const gemini = (options: Record<string, unknown> = {}) => geminiModel(emulator.current, 'gemini-req', options);
const lastBody = () => emulator.current.requests({ model: 'gemini-req' }).at(-1)?.body as Record<string, unknown>;

describe('google-ai request', () => {
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
      callOptions(),
    );
    const body = sentBody(emulator.current, 'gemini-req');
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
    await gemini().doGenerate(user('x', { tools: [{ name: 't', inputSchema: { type: 'object' } }], toolChoice: choice }), callOptions());
    expect(lastBody().toolConfig).toEqual({ functionCallingConfig: { mode } });
  });

  it('JSON response format sets responseMimeType and responseJsonSchema', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    await gemini().doGenerate(user('x', { responseFormat: { type: 'json', schema } }), callOptions());
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
    await model.doGenerate(user('x', { temperature: 0.8, maxTokens: 50, providerOptions: { 'google-ai': { presencePenalty: 0.5, labels: { team: 'a' } } } }), callOptions());
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

  it("a request's own values do not stay on the model for the next request", async () => {
    const model = gemini({ temperature: 0.3, continuationToken: 'client' });
    await model.doGenerate(user('x', { temperature: 0.8, providerOptions: { 'google-ai': { seed: 1, continuationToken: 'request' } } }), callOptions());
    await model.doGenerate(user('x'), callOptions());
    const [first, second] = emulator.current.requests({ model: 'gemini-req' }).map((request) => request.body as Record<string, unknown>);
    expect(first).toMatchObject({ generationConfig: { temperature: 0.8, seed: 1 }, continuationToken: 'request' });
    expect(second?.generationConfig).toEqual({ temperature: 0.3 });
    expect(second?.continuationToken).toBe('client');
  });

  it('an option the SDK does not know goes into the body as is (and the API judges it)', async () => {
    const error = (await failure(gemini({ not_a_field: 1 }).doGenerate(user('x'), callOptions()))) as RegError;
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('Unknown name "not_a_field"');
    expect(emulator.current.requests({ model: 'gemini-req' })[0]?.rawBody.toString()).toContain('"not_a_field":1');
  });
});
