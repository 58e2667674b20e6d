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

describe('files: inlineData and fileData parts', () => {
  const PDF = Buffer.from('%PDF-1.7\n').toString('base64');
  let vertex: GoogleGenAI;

  beforeAll(() => {
    // Express mode: a Vertex API key and no project in the path.
    vertex = new GoogleGenAI({ vertexai: true, apiKey: TEST_CREDENTIALS.vertexApiKey, httpOptions: { baseUrl: emulator.current.url } });
  });

  it('takes documents and audio inline and by URL, as each API documents them', async () => {
    await ai.models.generateContent({
      model: 'gemini-files',
      contents: [
        {
          role: 'user',
          parts: [
            { inlineData: { mimeType: 'application/pdf', data: PDF } },
            { inlineData: { mimeType: 'audio/aiff', data: 'AAEC' } },
            { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123', mimeType: 'text/md' } },
            { fileData: { fileUri: 'https://example.com/report.pdf', mimeType: 'application/pdf' } },
            { text: 'Summarise.' },
          ],
        },
      ],
    });
    await vertex.models.generateContent({
      model: 'gemini-files',
      contents: [
        {
          role: 'user',
          parts: [
            { inlineData: { mimeType: 'audio/mpeg', data: 'AAEC' } },
            { fileData: { fileUri: 'gs://bucket/report.pdf', mimeType: 'application/pdf' } },
            { fileData: { fileUri: 'https://example.com/notes.txt', mimeType: 'text/plain', displayName: 'notes.txt' } },
          ],
        },
      ],
    });
    expect(emulator.current.requests({ model: 'gemini-files' }).map((request) => request.vendor)).toEqual(['gemini', 'vertex']);
  });

  it('refuses a type the API does not document, with its 400 body', async () => {
    const gemini = await rejection<ApiError>(
      ai.models.generateContent({ model: 'gemini-files', contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'application/msword', data: 'AAEC' } }] }] }),
    );
    expect(gemini.status).toBe(400);
    expect(JSON.parse(gemini.message)).toEqual({
      error: {
        code: 400,
        status: 'INVALID_ARGUMENT',
        message:
          'Unable to submit request because it has a mimeType parameter with value application/msword, which is not supported. Update the mimeType and try again. Learn more: https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/gemini',
      },
    });
    // The two APIs document different types: audio/aiff is the Gemini API's, audio/mpeg Vertex AI's.
    const vertexAiff = await rejection<ApiError>(
      vertex.models.generateContent({ model: 'gemini-files', contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'audio/aiff', data: 'AAEC' } }] }] }),
    );
    expect(vertexAiff.message).toContain('mimeType parameter with value audio/aiff, which is not supported');
    const geminiMpeg = await rejection<ApiError>(
      ai.models.generateContent({ model: 'gemini-files', contents: [{ role: 'user', parts: [{ fileData: { fileUri: 'https://example.com/a.mp3', mimeType: 'audio/mpeg' } }] }] }),
    );
    expect(geminiMpeg.message).toContain('mimeType parameter with value audio/mpeg, which is not supported');
  });

  it('refuses a gs:// URI on the Gemini API, as the API does', async () => {
    const error = await rejection<ApiError>(
      ai.models.generateContent({ model: 'gemini-files', contents: [{ role: 'user', parts: [{ fileData: { fileUri: 'gs://bucket/report.pdf', mimeType: 'application/pdf' } }] }] }),
    );
    expect(error.status).toBe(400);
    expect(JSON.parse(error.message).error.message).toBe('Invalid or unsupported file uri: gs://bucket/report.pdf');
  });

  it('refuses malformed parts: a missing type or URI, bad base64, an unknown field, two kinds of data', async () => {
    const send = (client: GoogleGenAI, part: Record<string, unknown>) =>
      rejection<ApiError>(client.models.generateContent({ model: 'gemini-files', contents: [{ role: 'user', parts: [part] }] }));
    const noType = await send(ai, { inlineData: { data: PDF } });
    expect(noType.message).toContain('* GenerateContentRequest.contents[0].parts[0].inline_data.mime_type: mime_type is not specified');
    const vertexNoType = await send(vertex, { fileData: { fileUri: 'gs://bucket/a.pdf' } });
    expect(vertexNoType.message).toContain('Unable to submit request because it has an empty mimeType parameter.');
    const noUri = await send(ai, { fileData: { mimeType: 'application/pdf' } });
    expect(noUri.message).toContain('contents[0].parts[0].file_data.file_uri: file_uri is not specified');
    const badBase64 = await send(ai, { inlineData: { mimeType: 'application/pdf', data: 'not base64!' } });
    expect(JSON.parse(badBase64.message).error.message).toBe(
      `Invalid value at 'contents[0].parts[0].inline_data.data' (TYPE_BYTES), Base64 decoding failed for "not base64!"`,
    );
    // The SDK copies inlineData as given, so a misnamed field reaches the API, which names it.
    const misnamed = await send(ai, { inlineData: { mediaType: 'application/pdf', data: PDF } });
    expect(JSON.parse(misnamed.message).error.message).toBe(
      `Invalid JSON payload received. Unknown name "mediaType" at 'contents[0].parts[0].inline_data': Cannot find field.`,
    );
    const geminiDisplayName = await send(ai, { fileData: { fileUri: 'https://example.com/a.pdf', mimeType: 'application/pdf', displayName: 'a.pdf' } });
    expect(JSON.parse(geminiDisplayName.message).error.message).toContain(`Unknown name "displayName" at 'contents[0].parts[0].file_data'`);
    const twoKinds = await send(ai, { text: 'hi', inlineData: { mimeType: 'application/pdf', data: PDF } });
    expect(twoKinds.message).toContain("Oneof field 'data' is already set. Cannot set 'inlineData'");
    expect(emulator.current.requests({ model: 'gemini-files' })).toHaveLength(7);
  });
});

describe('usage in Gemini arithmetic', () => {
  const usage = { inputTokens: 120, outputTokens: 50, cachedInputTokens: 80, cacheWriteInputTokens: 10, reasoningTokens: 30 };

  it('candidatesTokenCount leaves thoughts out; the prompt holds cached content; no cache writes', async () => {
    emulator.current.script('gemini-usage', { reply: { text: 'Answer.', usage } });
    const response = await ai.models.generateContent({ model: 'gemini-usage', contents: 'x' });
    expect(response.usageMetadata).toEqual({
      promptTokenCount: 120,
      candidatesTokenCount: 20,
      thoughtsTokenCount: 30,
      cachedContentTokenCount: 80,
      totalTokenCount: 170,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 120 }],
    });
  });

  it('the same in the last chunk of a stream, on both APIs', async () => {
    emulator.current.script('gemini-usage', { reply: { text: 'A streamed answer.', usage }, chunkSize: 4 });
    const vertex = new GoogleGenAI({ vertexai: true, apiKey: TEST_CREDENTIALS.vertexApiKey, httpOptions: { baseUrl: emulator.current.url } });
    for (const client of [ai, vertex]) {
      const chunks = await collect(await client.models.generateContentStream({ model: 'gemini-usage', contents: 'x' }));
      expect(chunks.at(-1)?.usageMetadata).toMatchObject({ promptTokenCount: 120, candidatesTokenCount: 20, thoughtsTokenCount: 30, cachedContentTokenCount: 80, totalTokenCount: 170 });
    }
    const vertexWhole = await vertex.models.generateContent({ model: 'gemini-usage', contents: 'x' });
    expect(vertexWhole.usageMetadata).toMatchObject({ candidatesTokenCount: 20, thoughtsTokenCount: 30, candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 20 }] });
  });
});
