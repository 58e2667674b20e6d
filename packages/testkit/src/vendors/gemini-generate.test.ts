import { ApiError, GoogleGenAI } from '@google/genai';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { collect, failure, useEmulator } from '../vitest.js';

const emulator = useEmulator();
let ai: GoogleGenAI;

beforeAll(() => {
  ai = new GoogleGenAI({ apiKey: TEST_CREDENTIALS.gemini, httpOptions: { baseUrl: emulator.current.url } });
});

/** The error a call rejects with, as the SDK's error type; a call that succeeds fails the test. */
async function rejection<T extends Error>(promise: Promise<unknown>): Promise<T> {
  return (await failure(promise)) as T;
}

describe('Gemini API generateContent', () => {
  it('answers text with usage, and records what the SDK sent', async () => {
    emulator.current.script('gemini-test', { reply: { text: 'Hello there, world', usage: { inputTokens: 11, outputTokens: 5 } } });
    const response = await ai.models.generateContent({
      model: 'gemini-test',
      contents: 'Say hello',
      config: { systemInstruction: 'Be brief.', maxOutputTokens: 64, temperature: 0.2 },
    });
    expect(response.text).toBe('Hello there, world');
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 11, candidatesTokenCount: 5, totalTokenCount: 16 });
    expect(response.modelVersion).toBe('gemini-test');
    expect(response.responseId).toMatch(/^[\w-]{20}$/);

    const [request] = emulator.current.requests({ vendor: 'gemini' });
    expect(request).toMatchObject({ method: 'POST', path: '/v1/models/gemini-test:generateContent', model: 'gemini-test' });
    expect(request?.headers['x-goog-api-key']).toBe(TEST_CREDENTIALS.gemini);
    expect(request?.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }],
      systemInstruction: { role: 'user', parts: [{ text: 'Be brief.' }] },
      generationConfig: { maxOutputTokens: 64, temperature: 0.2 },
    });
  });

  it('answers a function call with its arguments as an object', async () => {
    emulator.current.script('gemini-tools', { reply: { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris","days":2}' }] } });
    const response = await ai.models.generateContent({
      model: 'gemini-tools',
      contents: 'Weather in Paris?',
      config: {
        tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } }] }],
      },
    });
    expect(response.functionCalls).toEqual([{ name: 'get_weather', args: { city: 'Paris', days: 2 } }]);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.text).toBeUndefined();
    const body = emulator.current.requests({ model: 'gemini-tools' })[0]?.body as { tools: unknown };
    expect(body.tools).toEqual([
      { functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } }] },
    ]);
  });

  it('estimates usage when the script gives none, and reports cached tokens when it does', async () => {
    emulator.current.script('gemini-estimate', { reply: { text: 'twelve chars' } });
    const estimated = await ai.models.generateContent({ model: 'gemini-estimate', contents: 'a prompt of 23 chars...' });
    expect(estimated.usageMetadata).toMatchObject({ promptTokenCount: 6, candidatesTokenCount: 3, totalTokenCount: 9 });
    expect(estimated.usageMetadata?.cachedContentTokenCount).toBeUndefined();

    emulator.current.script('gemini-cached', { reply: { text: 'ok', usage: { inputTokens: 100, outputTokens: 1, cachedInputTokens: 80 } } });
    const cached = await ai.models.generateContent({ model: 'gemini-cached', contents: 'hi' });
    expect(cached.usageMetadata).toMatchObject({ promptTokenCount: 100, cachedContentTokenCount: 80, totalTokenCount: 101 });
  });

  it('maps finish reasons: length to MAX_TOKENS, content-filter to SAFETY without content', async () => {
    emulator.current.script('gemini-finish', { sequence: [{ text: 'cut sh', finishReason: 'length' }, { finishReason: 'content-filter' }] });
    const truncated = await ai.models.generateContent({ model: 'gemini-finish', contents: 'x' });
    expect(truncated.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    expect(truncated.text).toBe('cut sh');
    const blocked = await ai.models.generateContent({ model: 'gemini-finish', contents: 'x' });
    expect(blocked.candidates?.[0]?.finishReason).toBe('SAFETY');
    expect(blocked.candidates?.[0]?.content).toBeUndefined();
    expect(blocked.candidates?.[0]?.safetyRatings?.[0]?.blocked).toBe(true);
    expect(blocked.text).toBeUndefined();
  });

  it('serves the v1beta API version too (the SDK defaults to v1)', async () => {
    const beta = new GoogleGenAI({ apiKey: TEST_CREDENTIALS.gemini, apiVersion: 'v1beta', httpOptions: { baseUrl: emulator.current.url } });
    const response = await beta.models.generateContent({ model: 'gemini-beta', contents: 'ping' });
    expect(response.text).toBe('echo: ping');
    expect(emulator.current.requests()[0]?.path).toBe('/v1beta/models/gemini-beta:generateContent');
  });
});

describe('Gemini API streamGenerateContent', () => {
  const text = 'Streaming works one small piece at a time.';

  it('streams the same text as generateContent, usage and finish reason on the last chunk', async () => {
    emulator.current.script('gemini-stream', { reply: { text, usage: { inputTokens: 7, outputTokens: 9 } }, chunkSize: 5 });
    const whole = await ai.models.generateContent({ model: 'gemini-stream', contents: 'go' });
    const chunks = await collect(await ai.models.generateContentStream({ model: 'gemini-stream', contents: 'go' }));

    expect(chunks.map((chunk) => chunk.text).join('')).toBe(whole.text);
    expect(chunks).toHaveLength(Math.ceil(text.length / 5));
    const last = chunks.at(-1);
    expect(last?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(last?.usageMetadata).toMatchObject({ promptTokenCount: 7, candidatesTokenCount: 9, totalTokenCount: 16 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.candidates?.[0]?.finishReason === undefined)).toBe(true);
    // Mid-stream usage is the running prompt count, never a delta of the answer.
    expect(chunks[0]?.usageMetadata).toMatchObject({ promptTokenCount: 7, totalTokenCount: 7 });
    expect(chunks[0]?.usageMetadata?.candidatesTokenCount).toBeUndefined();

    const streamed = emulator.current.requests({ model: 'gemini-stream' })[1];
    expect(streamed?.path).toBe('/v1/models/gemini-stream:streamGenerateContent');
    expect(streamed?.query).toEqual({ alt: 'sse' });
  });

  it('delivers a function call whole in one chunk', async () => {
    emulator.current.script('gemini-stream-tools', {
      reply: { text: 'Checking.', toolCalls: [{ name: 'lookup', arguments: { query: 'weather in Paris', limit: 3 } }] },
      chunkSize: 4,
    });
    const chunks = await collect(await ai.models.generateContentStream({ model: 'gemini-stream-tools', contents: 'go' }));
    const withCalls = chunks.filter((chunk) => chunk.functionCalls?.length);
    expect(withCalls).toHaveLength(1);
    expect(withCalls[0]?.functionCalls).toEqual([{ name: 'lookup', args: { query: 'weather in Paris', limit: 3 } }]);
    expect(chunks.map((chunk) => chunk.text ?? '').join('')).toBe('Checking.');
    expect(chunks.at(-1)).toBe(withCalls[0]);
  });
});

describe('Gemini API request validation', () => {
  it('rejects a field the API does not know, naming it', async () => {
    const error = await rejection<ApiError>(
      ai.models.generateContent({ model: 'gemini-invalid', contents: 'x', config: { httpOptions: { extraBody: { generationConfig: { maxTokens: 5 } } } } }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    const body = JSON.parse(error.message) as { error: { status: string; message: string } };
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toBe(`Invalid JSON payload received. Unknown name "maxTokens" at 'generation_config': Cannot find field.`);
  });

  it('rejects a role other than user and model, and a part without data', async () => {
    const badRole = await rejection<ApiError>(
      ai.models.generateContent({ model: 'gemini-invalid', contents: [{ role: 'assistant', parts: [{ text: 'hi' }] }] }),
    );
    expect(badRole.status).toBe(400);
    expect(badRole.message).toContain('Please use a valid role: user, model.');

    const emptyPart = await rejection<ApiError>(ai.models.generateContent({ model: 'gemini-invalid', contents: [{ role: 'user', parts: [{}] }] }));
    expect(emptyPart.status).toBe(400);
    expect(emptyPart.message).toContain("GenerateContentRequest.contents[0].parts[0].data: required oneof field 'data' must have one initialized field");
    expect(emulator.current.requests({ model: 'gemini-invalid' })).toHaveLength(2);
  });
});
