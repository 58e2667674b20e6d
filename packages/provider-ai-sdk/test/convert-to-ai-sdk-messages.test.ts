import { ClientRegistry, RegError, type ChatRequest, type FilePart } from '@reg/core';
import { buildModel, callOptions, failure, sentBody, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { aiSdk } from '../src/index.js';
import { clientOptions } from './emulated-client.js';

const emulator = useEmulator();
const createModel = (model: string, extra: Record<string, unknown> = {}) => buildModel(aiSdk, clientOptions(emulator.current, model, extra));
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
const PNG_BASE64 = Buffer.from(PNG).toString('base64');
const PDF = Uint8Array.from(Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'));
const PDF_BASE64 = Buffer.from(PDF).toString('base64');
const WAV_BASE64 = Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ').toString('base64');
const MP3_BASE64 = Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00').toString('base64');
const fileRequest = (...parts: FilePart[]): ChatRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Read this.' }, ...parts] }] });

describe('messages (reg messages -> AI SDK prompt -> the vendor body)', () => {
  it('sends system, multi-turn, images, tool calls and tool results', async () => {
    const request: ChatRequest = {
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Answer in French.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What are these?' },
            { type: 'image', image: 'https://example.com/cat.png' },
            { type: 'image', image: `data:image/jpeg;base64,${PNG_BASE64}` },
            { type: 'image', image: PNG_BASE64, mediaType: 'image/png' },
            { type: 'image', image: PNG },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me look.' },
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: { id: 7 } },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_1', toolName: 'lookup', output: { found: true } },
            { type: 'tool-result', toolCallId: 'call_2', toolName: 'lookup', output: 'plain text' },
          ],
        },
        { role: 'user', content: 'Thanks.' },
      ],
    };
    await createModel('messages').doGenerate(request, callOptions());
    expect(sentBody(emulator.current, 'messages').messages).toEqual([
      { role: 'system', content: 'Be brief.\nAnswer in French.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What are these?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${PNG_BASE64}` } },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
        ],
      },
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":7}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"found":true}' },
      { role: 'tool', tool_call_id: 'call_2', content: 'plain text' },
      { role: 'user', content: 'Thanks.' },
    ]);
  });

  it("sniffs the type of a data: URL that states none, so the vendor gets the image's real type", async () => {
    await createModel('sniffed').doGenerate({ messages: [{ role: 'user', content: [{ type: 'image', image: `data:;base64,${PNG_BASE64}` }] }] }, callOptions());
    expect(sentBody(emulator.current, 'sniffed').messages).toEqual([{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } }] }]);
  });
});

describe('files (reg file parts -> AI SDK file parts -> the vendor body)', () => {
  it('sends PDFs (data: URL, base64, bytes), WAV and MP3 audio and plain text in the forms @ai-sdk/openai-compatible gives them', async () => {
    await createModel('files').doGenerate(
      fileRequest(
        { type: 'file', data: `data:application/pdf;base64,${PDF_BASE64}`, mediaType: 'application/pdf', filename: 'report.pdf' },
        { type: 'file', data: PDF_BASE64, mediaType: 'application/pdf' },
        { type: 'file', data: PDF, mediaType: 'application/pdf', filename: 'bytes.pdf' },
        { type: 'file', data: WAV_BASE64, mediaType: 'audio/wav' },
        { type: 'file', data: `data:audio/mpeg;base64,${MP3_BASE64}`, mediaType: 'audio/mpeg' },
        { type: 'file', data: Buffer.from('Minutes: all agreed.').toString('base64'), mediaType: 'text/plain', filename: 'minutes.txt' },
      ),
      callOptions(),
    );
    expect(sentBody(emulator.current, 'files').messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Read this.' },
          { type: 'file', file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${PDF_BASE64}` } },
          // The package names a document that has no filename.
          { type: 'file', file: { filename: 'document.pdf', file_data: `data:application/pdf;base64,${PDF_BASE64}` } },
          { type: 'file', file: { filename: 'bytes.pdf', file_data: `data:application/pdf;base64,${PDF_BASE64}` } },
          { type: 'input_audio', input_audio: { data: WAV_BASE64, format: 'wav' } },
          { type: 'input_audio', input_audio: { data: MP3_BASE64, format: 'mp3' } },
          { type: 'text', text: 'Minutes: all agreed.' },
        ],
      },
    ]);
  });

  it('hands the part over with its filename and providerOptions (seen by a language model passed in code, v4 and v2)', async () => {
    const seen: unknown[] = [];
    const recording = (specificationVersion: 'v2' | 'v4') => ({
      specificationVersion,
      provider: 'recording.chat',
      modelId: 'recording',
      supportedUrls: {},
      doGenerate: async (options: { prompt: unknown }) => {
        seen.push(options.prompt);
        return { content: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, warnings: [] };
      },
      doStream: async () => ({ stream: new ReadableStream() }),
    });
    const part: FilePart = { type: 'file', data: 'https://example.com/spec.pdf', mediaType: 'application/pdf', filename: 'spec.pdf', providerOptions: { recording: { cache: true } } };
    for (const version of ['v4', 'v2'] as const) {
      await buildModel(aiSdk, { model: recording(version) }).doGenerate({ messages: [{ role: 'user', content: [part, { type: 'file', data: PDF, mediaType: 'application/pdf' }] }] }, callOptions());
    }
    const url = new URL('https://example.com/spec.pdf');
    expect(seen).toEqual([
      [
        {
          role: 'user',
          content: [
            { type: 'file', data: { type: 'url', url }, mediaType: 'application/pdf', filename: 'spec.pdf', providerOptions: { recording: { cache: true } } },
            { type: 'file', data: { type: 'data', data: PDF }, mediaType: 'application/pdf' },
          ],
        },
      ],
      [
        {
          role: 'user',
          content: [
            { type: 'file', data: url, mediaType: 'application/pdf', filename: 'spec.pdf', providerOptions: { recording: { cache: true } } },
            { type: 'file', data: PDF, mediaType: 'application/pdf' },
          ],
        },
      ],
    ]);
  });

  it.each<[string, FilePart]>([
    ['a PDF by URL', { type: 'file', data: 'https://example.com/spec.pdf', mediaType: 'application/pdf' }],
    ['audio by URL', { type: 'file', data: 'https://example.com/talk.wav', mediaType: 'audio/wav' }],
    ['audio of a format it has no name for', { type: 'file', data: WAV_BASE64, mediaType: 'audio/flac' }],
    ['a document type other than PDF', { type: 'file', data: PDF_BASE64, mediaType: 'application/msword' }],
  ])('fails before any request with invalid_request when the package cannot send %s', async (_what, part) => {
    const error = await failure(createModel('refused').doGenerate(fileRequest(part), callOptions()));
    expect(error).toBeInstanceOf(RegError);
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false, client: 'Test', provider: 'ai-sdk' });
    expect((error as Error).message).toMatch(/^Client 'Test' \(ai-sdk, model refused\): emulated\.chat cannot take this request: /);
    expect(emulator.current.requests()).toHaveLength(0);
  });

  it('declares every media type, so core lets any file through to the package, which decides', async () => {
    expect(aiSdk.capabilities?.fileTypes).toEqual(['*/*']);
    const cr = new ClientRegistry({ providers: [aiSdk], env: {} });
    cr.addLlmClient('Files', 'ai-sdk', clientOptions(emulator.current, 'declared'));
    await cr.generate(fileRequest({ type: 'file', data: PDF, mediaType: 'application/pdf' }), { client: 'Files' });
    const refused = await failure(cr.generate(fileRequest({ type: 'file', data: 'https://example.com/a.pdf', mediaType: 'application/pdf' }), { client: 'Files' }));
    expect(refused).toMatchObject({ code: 'invalid_request' });
    expect((refused as Error).message).toContain("'PDF file parts with URLs' functionality not supported");
    expect(emulator.current.requests()).toHaveLength(1);
  });
});
