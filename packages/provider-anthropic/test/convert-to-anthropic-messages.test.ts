import type { ChatRequest, FilePart } from '@reg/core';
import { callOptions, failure, sentBody, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { anthropicModel } from './anthropic-test-client.js';

const emulator = useEmulator();
const hello = user('Hello');
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PDF_BYTES = new Uint8Array(Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n', 'latin1'));
const PDF_BASE64 = Buffer.from(PDF_BYTES).toString('base64');
const withFiles = (...files: FilePart[]): ChatRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Read these.' }, ...files] }] });
const weather = { name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

describe('anthropic message conversion', () => {
  it('puts system messages in system: a string, or text blocks when a part has cache control', async () => {
    const model = anthropicModel(emulator.current, 'claude-system');
    await model.doGenerate({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'system', content: [{ type: 'text', text: 'Be kind.' }] }, ...hello.messages] }, callOptions());
    await model.doGenerate(
      {
        messages: [
          {
            role: 'system',
            content: [
              { type: 'text', text: 'A long stable preamble.', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
              { type: 'text', text: 'Today is Monday.' },
            ],
          },
          { role: 'user', content: [{ type: 'text', text: 'A long document.', providerOptions: { anthropic: { cache_control: { type: 'ephemeral', ttl: '1h' } } } }, { type: 'text', text: 'Summarise it.' }] },
        ],
      },
      callOptions(),
    );
    expect(sentBody(emulator.current, 'claude-system', 0).system).toBe('Be brief.\n\nBe kind.');
    const cached = sentBody(emulator.current, 'claude-system', 1);
    expect(cached.system).toEqual([
      { type: 'text', text: 'A long stable preamble.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Today is Monday.' },
    ]);
    expect(cached.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'A long document.', cache_control: { type: 'ephemeral', ttl: '1h' } },
          { type: 'text', text: 'Summarise it.' },
        ],
      },
    ]);
  });

  it('sends images as URL, data URL, base64 with its type, and bytes (type recognised)', async () => {
    await anthropicModel(emulator.current, 'claude-images').doGenerate(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare these.' },
              { type: 'image', image: 'https://example.com/cat.jpg' },
              { type: 'image', image: `data:image/png;base64,${PNG_BASE64}` },
              { type: 'image', image: PNG_BASE64, mediaType: 'image/png', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
              { type: 'image', image: new Uint8Array(Buffer.from(PNG_BASE64, 'base64')) },
            ],
          },
        ],
      },
      callOptions(),
    );
    const content = (sentBody(emulator.current, 'claude-images').messages as Array<{ content: unknown[] }>)[0]?.content;
    const png = { type: 'base64', media_type: 'image/png', data: PNG_BASE64 };
    expect(content).toEqual([
      { type: 'text', text: 'Compare these.' },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'image', source: png },
      { type: 'image', source: png, cache_control: { type: 'ephemeral' } },
      { type: 'image', source: png },
    ]);
  });

  it('refuses an image type the API does not take, before any request', async () => {
    const model = anthropicModel(emulator.current, 'claude-bad-image');
    const error = await model.doGenerate({ messages: [{ role: 'user', content: [{ type: 'image', image: 'AAAA', mediaType: 'image/tiff' }] }] }, callOptions()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect((error as Error).message).toContain('image/tiff');
    const untyped = await model.doGenerate({ messages: [{ role: 'user', content: [{ type: 'image', image: 'AAAA' }] }] }, callOptions()).catch((caught: unknown) => caught);
    expect((untyped as Error).message).toContain('set its mediaType');
    expect(emulator.current.requests({ model: 'claude-bad-image' })).toHaveLength(0);
  });

  it('sends file parts as document blocks: PDFs as base64 (bytes, raw base64, data URL) or by URL, plain text as its text', async () => {
    const notes = 'Meeting notes: ship on Friday. Café at 10.';
    await anthropicModel(emulator.current, 'claude-files').doGenerate(
      withFiles(
        { type: 'file', data: PDF_BYTES, mediaType: 'application/pdf', filename: 'report.pdf' },
        { type: 'file', data: PDF_BASE64, mediaType: 'application/pdf', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' }, context: 'Q3 figures', citations: { enabled: true } } } },
        { type: 'file', data: `data:application/pdf;base64,${PDF_BASE64}`, mediaType: 'application/pdf', filename: 'ignored.pdf', providerOptions: { anthropic: { title: 'Annual report' } } },
        { type: 'file', data: 'https://example.com/report.pdf', mediaType: 'application/pdf' },
        { type: 'file', data: new Uint8Array(Buffer.from(notes, 'utf8')), mediaType: 'text/plain; charset=utf-8', filename: 'notes.txt' },
        { type: 'file', data: Buffer.from(notes, 'utf8').toString('base64'), mediaType: 'text/plain' },
        { type: 'file', data: `data:text/plain,${encodeURIComponent(notes)}`, mediaType: 'text/plain' },
      ),
      callOptions(),
    );
    const content = (sentBody(emulator.current, 'claude-files').messages as Array<{ content: unknown[] }>)[0]?.content;
    const pdf = { type: 'base64', media_type: 'application/pdf', data: PDF_BASE64 };
    const text = { type: 'text', media_type: 'text/plain', data: notes };
    expect(content).toEqual([
      { type: 'text', text: 'Read these.' },
      { type: 'document', source: pdf, title: 'report.pdf' },
      { type: 'document', source: pdf, context: 'Q3 figures', citations: { enabled: true }, cache_control: { type: 'ephemeral' } },
      { type: 'document', source: pdf, title: 'Annual report' },
      { type: 'document', source: { type: 'url', url: 'https://example.com/report.pdf' } },
      { type: 'document', source: text, title: 'notes.txt' },
      { type: 'document', source: text },
      { type: 'document', source: text },
    ]);
  });

  it('refuses, before any request, a file type the API does not take and plain text by URL, naming the client, the part and what it takes', async () => {
    const model = anthropicModel(emulator.current, 'claude-bad-file');
    const audio = await failure(model.doGenerate(withFiles({ type: 'file', data: 'UklGRiQAAABXQVZF', mediaType: 'audio/wav' }), callOptions()));
    expect(audio).toMatchObject({ code: 'invalid_request', retryable: false, client: 'Test', provider: 'anthropic', model: 'claude-bad-file' });
    expect((audio as Error).message).toBe(
      "Client 'Test' (anthropic, model claude-bad-file) cannot send the request: messages[0].content[1] is a file of type audio/wav; Anthropic takes application/pdf and text/plain documents.",
    );
    const byUrl = await failure(model.doGenerate(withFiles({ type: 'file', data: 'https://example.com/notes.txt', mediaType: 'text/plain' }), callOptions()));
    expect((byUrl as Error).message).toContain('messages[0].content[1] is a text/plain file given by URL; Anthropic fetches only PDFs');
    const stream = await failure(model.doStream(withFiles({ type: 'file', data: 'e30=', mediaType: 'application/json' }), callOptions())[Symbol.asyncIterator]().next());
    expect(stream).toMatchObject({ code: 'invalid_request', client: 'Test' });
    expect(emulator.current.requests({ model: 'claude-bad-file' })).toHaveLength(0);
  });

  it("refuses, before any request, files past Anthropic's 32 MB request limit, naming the part that passes it", async () => {
    const model = anthropicModel(emulator.current, 'claude-big-file');
    // 24 MiB of bytes are 32 MiB and 4 characters of base64.
    const huge = await failure(model.doGenerate(withFiles({ type: 'file', data: new Uint8Array(24 * 1024 * 1024 + 1), mediaType: 'application/pdf' }), callOptions()));
    expect(huge).toMatchObject({ code: 'invalid_request', retryable: false });
    expect((huge as Error).message).toMatch(/^Client 'Test' \(anthropic, model claude-big-file\) cannot send the request: messages\[0\]\.content\[1\] \(a file of type application\/pdf\) takes the images and files of the request to 33554436 bytes as sent, past the 32 MB \(33554432 bytes\) that Anthropic takes in one request/);
    // Each half fits; together they do not, and the second is named.
    const half = { type: 'file' as const, data: new Uint8Array(12 * 1024 * 1024 + 3), mediaType: 'application/pdf' };
    const both = await failure(model.doGenerate(withFiles(half, half), callOptions()));
    expect((both as Error).message).toContain('messages[0].content[2] (a file of type application/pdf) takes the images and files of the request to 33554440 bytes');
    expect(emulator.current.requests({ model: 'claude-big-file' })).toHaveLength(0);
  });

  it('sends a tool conversation: tool_use blocks, tool results merged with the next user text', async () => {
    await anthropicModel(emulator.current, 'claude-turns').doGenerate(
      {
        messages: [
          { role: 'user', content: 'Weather in Paris and Oslo?' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: '' },
              { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool-call', toolCallId: 'toolu_2', toolName: 'get_weather', input: { city: 'Oslo' } },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'toolu_1', toolName: 'get_weather', output: { celsius: 21 } },
              { type: 'tool-result', toolCallId: 'toolu_2', toolName: 'get_weather', output: 'service down', isError: true },
            ],
          },
          { role: 'user', content: 'Which is warmer?' },
        ],
        tools: [weather],
        toolChoice: 'auto',
      },
      callOptions(),
    );
    const body = sentBody(emulator.current, 'claude-turns');
    expect(body.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Oslo?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"celsius":21}' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'service down', is_error: true },
          { type: 'text', text: 'Which is warmer?' },
        ],
      },
    ]);
    expect(body.tools).toEqual([{ name: 'get_weather', description: 'Weather for a city', input_schema: weather.inputSchema }]);
    expect(body.tool_choice).toEqual({ type: 'auto' });
  });
});
