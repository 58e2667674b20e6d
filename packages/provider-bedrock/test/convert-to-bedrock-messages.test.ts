import { RegError, type ChatRequest, type FilePart } from '@reg/core';
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

describe('Converse documents', () => {
  const PDF = new TextEncoder().encode('%PDF-1.7\n%%EOF\n');
  const PDF_BASE64 = Buffer.from(PDF).toString('base64');
  const CSV = 'city,celsius\nOslo,4\n';
  const CSV_BASE64 = Buffer.from(CSV).toString('base64');
  const file = (data: string | Uint8Array, mediaType: string, filename?: string): FilePart => ({ type: 'file', data, mediaType, ...(filename === undefined ? {} : { filename }) });
  const ask = (...files: FilePart[]): ChatRequest['messages'][number] => ({ role: 'user', content: [{ type: 'text', text: 'Read these.' }, ...files] });
  const documentsSent = (model: string) =>
    (sentBody(emulator.current, model).messages as Array<{ content: Array<{ document?: unknown }> }>).flatMap((message) => message.content.flatMap((block) => (block.document ? [block.document] : [])));

  test('every declared type goes as a document block with its format, bytes and a name from the filename', async () => {
    const model = uniqueModel('documents');
    await buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate(
      {
        messages: [
          ask(
            file(PDF, 'application/pdf', 'Q3 report.pdf'),
            file(CSV_BASE64, 'text/csv', 'weather.csv'),
            file(`data:application/msword;base64,${PDF_BASE64}`, 'application/msword', 'letter.doc'),
            file(PDF, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'letter.docx'),
            file(PDF, 'application/vnd.ms-excel', 'sheet.xls'),
          ),
          { role: 'assistant', content: 'Read.' },
          ask(
            file(PDF, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'sheet.xlsx'),
            file(PDF, 'text/html', 'page.html'),
            file(new TextEncoder().encode(CSV), 'text/plain; charset=utf-8', 'notes.txt'),
            file(PDF, 'text/markdown', 'README.md'),
          ),
        ],
      },
      callOptions(),
    );
    expect(documentsSent(model)).toEqual([
      { format: 'pdf', name: 'Q3 report', source: { bytes: PDF_BASE64 } },
      { format: 'csv', name: 'weather', source: { bytes: CSV_BASE64 } },
      { format: 'doc', name: 'letter', source: { bytes: PDF_BASE64 } },
      { format: 'docx', name: 'letter (2)', source: { bytes: PDF_BASE64 } },
      { format: 'xls', name: 'sheet', source: { bytes: PDF_BASE64 } },
      { format: 'xlsx', name: 'sheet (2)', source: { bytes: PDF_BASE64 } },
      { format: 'html', name: 'page', source: { bytes: PDF_BASE64 } },
      { format: 'txt', name: 'notes', source: { bytes: CSV_BASE64 } },
      { format: 'md', name: 'README', source: { bytes: PDF_BASE64 } },
    ]);
  });

  test('names keep only what Converse takes; a part without a usable name gets document-N', async () => {
    const model = uniqueModel('document-names');
    const long = `${'a'.repeat(150)} ${'b'.repeat(150)}.pdf`;
    await buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate(
      {
        messages: [
          ask(file(PDF, 'application/pdf', "John's résumé_v2 (final) [draft].pdf"), file(PDF, 'application/pdf', '/tmp/in\tbox/Report -  Final.pdf'), file(PDF, 'application/pdf')),
          { role: 'assistant', content: 'Read.' },
          ask(file(PDF, 'application/pdf', '분기보고서.pdf'), file(PDF, 'application/pdf', '.pdf'), file(PDF, 'application/pdf', long)),
        ],
      },
      callOptions(),
    );
    const names = documentsSent(model).map((document) => (document as { name: string }).name);
    expect(names).toEqual(['John s resume v2 (final) [draft]', 'Report - Final', 'document-3', 'document-4', 'document-5', `${'a'.repeat(150)} ${'b'.repeat(49)}`]);
  });

  test('an s3:// URI goes as an S3 location, with the bucket owner from providerOptions', async () => {
    const model = uniqueModel('document-s3');
    const part = { ...file('s3://reports-bucket/2026/q3.pdf', 'application/pdf', 'q3.pdf'), providerOptions: { 'aws-bedrock': { bucketOwner: '123456789012' } } };
    await buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate({ messages: [ask(part)] }, callOptions());
    expect(documentsSent(model)).toEqual([{ format: 'pdf', name: 'q3', source: { s3Location: { uri: 's3://reports-bucket/2026/q3.pdf', bucketOwner: '123456789012' } } }]);
  });

  test.each([
    ['a type Converse does not take', file(new Uint8Array([1, 2, 3]), 'audio/wav', 'clip.wav'), /messages\[0\]\.content\[1\] is a file of type audio\/wav; Bedrock Converse takes application\/pdf, text\/csv, .*, text\/markdown\.$/],
    ['bytes over 4.5 MB', file(new Uint8Array(4.5 * 1024 * 1024 + 1), 'application/pdf', 'big.pdf'), /messages\[0\]\.content\[1\] is 4718593 bytes; Bedrock Converse takes documents of at most 4\.5 MB \(4718592 bytes\)\.$/],
    ['an http(s) URL', file('https://example.com/report.pdf', 'application/pdf'), /messages\[0\]\.content\[1\] is an http\(s\) URL, which Bedrock Converse does not fetch/],
  ])('%s fails before any request, naming the client, the part and what Converse takes', async (_label, part, message) => {
    const model = uniqueModel('document-refused');
    const error = (await failure(buildModel(awsBedrock, emulatorOptions(emulator.current, model)).doGenerate({ messages: [ask(part)] }, callOptions()))) as RegError;
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false, client: 'Test', provider: 'aws-bedrock', model });
    expect(error.message).toMatch(/^Client 'Test' \(aws-bedrock, model /);
    expect(error.message).toMatch(message);
    expect(emulator.current.requests({ model })).toHaveLength(0);
  });

  test("Converse's rules for a message's documents hold before any request: five at most, and text beside them", async () => {
    const model = uniqueModel('document-rules');
    const chat = buildModel(awsBedrock, emulatorOptions(emulator.current, model));
    const six = Array.from({ length: 6 }, (_, index) => file(PDF, 'application/pdf', `part ${index}.pdf`));
    const tooMany = (await failure(chat.doGenerate({ messages: [ask(...six)] }, callOptions()))) as RegError;
    expect(tooMany).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(tooMany.message).toMatch(/messages\[0\]\.content\[6\] is document 6 of one Bedrock message; Converse takes at most 5 documents per message\./);
    const alone = (await failure(chat.doGenerate({ messages: [{ role: 'user', content: [file(PDF, 'application/pdf', 'a.pdf')] }] }, callOptions()))) as RegError;
    expect(alone.message).toMatch(/messages\[0\]\.content\[0\] is a document in a message without text; Bedrock Converse requires a text part beside documents/);
    expect(emulator.current.requests({ model })).toHaveLength(0);
    // Consecutive user turns merge into one Converse message, so text in the next turn counts.
    await chat.doGenerate({ messages: [{ role: 'user', content: [file(PDF, 'application/pdf', 'a.pdf')] }, { role: 'user', content: 'Summarise it.' }] }, callOptions());
    expect(sentBody(emulator.current, model).messages).toEqual([
      { role: 'user', content: [{ document: { format: 'pdf', name: 'a', source: { bytes: PDF_BASE64 } } }, { text: 'Summarise it.' }] },
    ]);
  });
});
