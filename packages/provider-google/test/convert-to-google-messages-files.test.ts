import { ClientRegistry, type ChatRequest, type RegError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { callOptions, collect, failure, sentBody, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { googleAi, vertexAi } from '../src/index.js';
import { geminiModel, vertexModel } from './google-models.js';

const emulator = useEmulator();
const PDF = new TextEncoder().encode('%PDF-1.7\n%\u00e2\u00e3\n');
const PDF_BASE64 = Buffer.from(PDF).toString('base64');
const MIB = 1024 * 1024;

function files(...parts: Array<{ data: string | Uint8Array; mediaType: string; filename?: string }>): ChatRequest {
  return { messages: [{ role: 'user', content: [{ type: 'text', text: 'Read these.' }, ...parts.map((part) => ({ type: 'file' as const, ...part }))] }] };
}

/** The parts of the one user Content the emulator received. */
function sentParts(model: string): unknown[] {
  const [content] = sentBody(emulator.current, model).contents as Array<{ parts: unknown[] }>;
  return content?.parts ?? [];
}

describe('files on google-ai (the Gemini API)', () => {
  it('sends every declared type inline, with its media type, and no file name', async () => {
    const fileTypes = googleAi.capabilities?.fileTypes ?? [];
    expect(fileTypes).toEqual(expect.arrayContaining(['application/pdf', 'text/plain', 'audio/wav', 'audio/mp3', 'audio/aiff', 'audio/aac', 'audio/ogg', 'audio/flac']));
    await geminiModel(emulator.current, 'gemini-files').doGenerate(files(...fileTypes.map((mediaType) => ({ data: PDF, mediaType, filename: 'a.bin' }))), callOptions());
    expect(sentParts('gemini-files')).toEqual([{ text: 'Read these.' }, ...fileTypes.map((mimeType) => ({ inlineData: { mimeType, data: PDF_BASE64 } }))]);
  });

  it('a data URL, raw base64 and bytes go inline; http(s) URLs (Files API URIs, public URLs) as fileData', async () => {
    await geminiModel(emulator.current, 'gemini-files').doGenerate(
      files(
        { data: `data:application/pdf;base64,${PDF_BASE64}`, mediaType: 'application/pdf' },
        { data: 'aGVsbG8=', mediaType: 'Text/Plain; charset=utf-8' },
        { data: 'https://generativelanguage.googleapis.com/v1beta/files/abc123', mediaType: 'audio/mp3' },
        { data: 'https://example.com/report.pdf', mediaType: 'application/pdf' },
      ),
      callOptions(),
    );
    expect(sentParts('gemini-files').slice(1)).toEqual([
      { inlineData: { mimeType: 'application/pdf', data: PDF_BASE64 } },
      { inlineData: { mimeType: 'text/plain', data: 'aGVsbG8=' } },
      { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123', mimeType: 'audio/mp3' } },
      { fileData: { fileUri: 'https://example.com/report.pdf', mimeType: 'application/pdf' } },
    ]);
  });

  it('a type it does not take fails before any request, naming the client, the part and the types it takes', async () => {
    const model = geminiModel(emulator.current, 'gemini-files');
    for (const attempt of [model.doGenerate(files({ data: PDF, mediaType: 'application/msword' }), callOptions()), collect(model.doStream(files({ data: PDF, mediaType: 'audio/mpeg' }), callOptions()))]) {
      const error = (await failure(attempt)) as RegError;
      expect(error).toMatchObject({ code: 'invalid_request', retryable: false, client: 'Test', provider: 'google-ai' });
      expect(error.message).toMatch(/^Client 'Test' \(google-ai, model gemini-files\) cannot send the request: messages\[0\]\.content\[1\] is a file of type (application\/msword|audio\/mpeg); the Gemini API takes application\/pdf, text\/plain, .*audio\/flac\.$/);
    }
    expect(emulator.current.requests()).toHaveLength(0);
  });

  it('a gs:// URI fails before any request: the Gemini API reads only http(s) URLs', async () => {
    const model = geminiModel(emulator.current, 'gemini-files');
    const file = (await failure(model.doGenerate(files({ data: 'gs://bucket/report.pdf', mediaType: 'application/pdf' }), callOptions()))) as RegError;
    expect(file.code).toBe('invalid_request');
    expect(file.message).toContain('messages[0].content[1] is a gs:// URI; the Gemini API reads only http(s) URLs');
    expect(file.message).toContain('or use vertex-ai');
    const image = (await failure(model.doGenerate({ messages: [{ role: 'user', content: [{ type: 'image', image: 'gs://bucket/dog.webp' }] }] }, callOptions()))) as RegError;
    expect(image.message).toContain('messages[0].content[0] is a gs:// URI');
    expect(emulator.current.requests()).toHaveLength(0);
  });

  it('a PDF over 50 MB, or inline data over 100 MB in all, fails before any request, naming the limit', async () => {
    const model = geminiModel(emulator.current, 'gemini-files');
    // Base64 text stands for three bytes in four characters: 51 MB of PDF.
    const pdf = 'A'.repeat((51 * MIB * 4) / 3);
    const bigPdf = (await failure(model.doGenerate(files({ data: pdf, mediaType: 'application/pdf' }), callOptions()))) as RegError;
    expect(bigPdf.code).toBe('invalid_request');
    expect(bigPdf.message).toContain('messages[0].content[1] is a PDF of 51 MB; the Gemini API takes a PDF of at most 50 MB (send it by URL)');
    // The same size of text is fine alone; two of them pass the request's limit.
    const audio = 'A'.repeat(60 * MIB);
    const tooMuch = (await failure(model.doGenerate(files({ data: audio, mediaType: 'audio/wav' }, { data: audio, mediaType: 'audio/wav' }), callOptions()))) as RegError;
    expect(tooMuch.code).toBe('invalid_request');
    expect(tooMuch.message).toContain("messages[0].content[2] brings the request's inline data to 120 MB of base64; the Gemini API takes at most 100 MB per request (send large files by URL)");
    expect(emulator.current.requests()).toHaveLength(0);
  });
});

describe('files on vertex-ai', () => {
  it('sends every declared type inline', async () => {
    const fileTypes = vertexAi.capabilities?.fileTypes ?? [];
    expect(fileTypes).toEqual(expect.arrayContaining(['application/pdf', 'text/plain', 'audio/wav', 'audio/mpeg', 'audio/mp3', 'audio/x-aac', 'audio/webm']));
    await vertexModel(emulator.current, 'vertex-files').doGenerate(files(...fileTypes.map((mediaType) => ({ data: PDF, mediaType }))), callOptions());
    expect(sentParts('vertex-files')).toEqual([{ text: 'Read these.' }, ...fileTypes.map((mimeType) => ({ inlineData: { mimeType, data: PDF_BASE64 } }))]);
  });

  it('gs:// and http(s) URLs go as fileData, files and images alike', async () => {
    await vertexModel(emulator.current, 'vertex-files').doGenerate(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'file', data: 'gs://bucket/report.pdf', mediaType: 'application/pdf' },
              { type: 'file', data: 'https://example.com/talk.webm', mediaType: 'audio/webm' },
              { type: 'image', image: 'gs://bucket/dog.webp?generation=1' },
            ],
          },
        ],
      },
      callOptions(),
    );
    expect(sentParts('vertex-files')).toEqual([
      { fileData: { fileUri: 'gs://bucket/report.pdf', mimeType: 'application/pdf' } },
      { fileData: { fileUri: 'https://example.com/talk.webm', mimeType: 'audio/webm' } },
      { fileData: { fileUri: 'gs://bucket/dog.webp?generation=1', mimeType: 'image/webp' } },
    ]);
  });

  it('its own types: audio/aiff, which only the Gemini API documents, fails before any request', async () => {
    const error = (await failure(vertexModel(emulator.current, 'vertex-files').doGenerate(files({ data: PDF, mediaType: 'audio/aiff' }), callOptions()))) as RegError;
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/^Client 'Test' \(vertex-ai, model vertex-files\) cannot send the request: messages\[0\]\.content\[1\] is a file of type audio\/aiff; Vertex AI takes application\/pdf, text\/plain, audio\/x-aac, .*audio\/webm\.$/);
    const big = (await failure(vertexModel(emulator.current, 'vertex-files').doGenerate(files({ data: 'A'.repeat(70 * MIB), mediaType: 'text/plain' }), callOptions()))) as RegError;
    expect(big.message).toContain('messages[0].content[1] is a document of 52.5 MB; Vertex AI takes a document of at most 50 MB (send it by URL)');
    expect(emulator.current.requests()).toHaveLength(0);
  });
});

describe('file types route requests', () => {
  it('a fallback skips google-ai for a type only Vertex AI takes, and Vertex AI answers', async () => {
    const registry = await ClientRegistry.fromConfig(
      {
        primary: 'Both',
        clients: [
          { name: 'Gemini', provider: 'google-ai', options: { model: 'gemini-route', base_url: emulator.current.baseUrls.gemini, api_key: TEST_CREDENTIALS.gemini } },
          {
            name: 'Vertex',
            provider: 'vertex-ai',
            options: { model: 'gemini-route', base_url: emulator.current.baseUrls.vertex, project_id: 'reg-project', query_params: { key: TEST_CREDENTIALS.vertexApiKey } },
          },
          { name: 'Both', provider: 'fallback', options: { strategy: ['Gemini', 'Vertex'] } },
        ],
      },
      { providers: [googleAi, vertexAi], env: {} },
    );
    const result = await registry.generate(files({ data: PDF, mediaType: 'audio/mpeg' }));
    expect(result.client).toBe('Vertex');
    expect(result.attempts.map((attempt) => [attempt.client, attempt.status, attempt.code])).toEqual([
      ['Gemini', 'skipped', 'invalid_request'],
      ['Vertex', 'success', undefined],
    ]);
    expect(emulator.current.requests().map((request) => request.vendor)).toEqual(['vertex']);
  });
});
