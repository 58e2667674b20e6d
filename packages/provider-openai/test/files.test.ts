import { ClientRegistry, type ChatRequest, type FilePart } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { describe, expect, it } from 'vitest';
import { buildModel, callOptions, failure, sentBody, useEmulator } from '@reg/testkit/vitest';
import { azureOpenAI, openai, openaiGeneric, openaiResponses, openrouter } from '../src/index.js';

const emulator = useEmulator();

const PDF = new Uint8Array(Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1'));
const PDF_BASE64 = Buffer.from(PDF).toString('base64');
const WAV_BASE64 = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]).toString('base64');
const TEXT_BASE64 = Buffer.from('The kettle is blue.').toString('base64');
/** 33 MB of base64 content: over OpenAI's 32 MB, cheap to build. */
const OVERSIZE_BASE64 = 'A'.repeat((33 * 1024 * 1024 * 4) / 3);

function withFiles(...files: FilePart[]): ChatRequest {
  return { messages: [{ role: 'user', content: [{ type: 'text', text: 'Read these.' }, ...files] }] };
}

function chat(name: string) {
  return buildModel(openai, { model: name, base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
}

function responses(name: string) {
  return buildModel(openaiResponses, { model: name, base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
}

function userContent(model: string): unknown {
  return (sentBody(emulator.current, model).messages as Array<{ content: unknown }>)[0]?.content;
}

describe('Chat Completions file parts', () => {
  it('sends PDFs as file parts with a data URL and a name, WAV and MP3 as input_audio', async () => {
    await chat('files-chat').doGenerate(
      withFiles(
        { type: 'file', data: PDF, mediaType: 'application/pdf', filename: 'report.pdf' },
        { type: 'file', data: `data:application/pdf;base64,${PDF_BASE64}`, mediaType: 'application/pdf' },
        { type: 'file', data: WAV_BASE64, mediaType: 'audio/wav' },
        { type: 'file', data: WAV_BASE64, mediaType: 'audio/mpeg' },
      ),
      callOptions(),
    );
    expect(userContent('files-chat')).toEqual([
      { type: 'text', text: 'Read these.' },
      { type: 'file', file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${PDF_BASE64}` } },
      { type: 'file', file: { filename: 'part-2.pdf', file_data: `data:application/pdf;base64,${PDF_BASE64}` } },
      { type: 'input_audio', input_audio: { data: WAV_BASE64, format: 'wav' } },
      { type: 'input_audio', input_audio: { data: WAV_BASE64, format: 'mp3' } },
    ]);
  });

  it('refuses a type OpenAI does not take before any request, naming the client, the part and what it takes', async () => {
    const error = await failure(chat('files-type').doGenerate(withFiles({ type: 'file', data: TEXT_BASE64, mediaType: 'text/plain' }), callOptions()));
    expect(error).toMatchObject({
      code: 'invalid_request',
      retryable: false,
      message: "Client 'Test' (openai, model files-type) cannot send the request: messages[0].content[1] is a file of type text/plain; openai takes application/pdf, audio/wav, audio/x-wav, audio/mpeg, audio/mp3.",
    });
    expect(emulator.current.requests()).toHaveLength(0);
  });

  it('refuses a file by URL and audio by URL: Chat Completions takes file data only', async () => {
    const document = await failure(chat('files-url').doGenerate(withFiles({ type: 'file', data: 'https://example.com/a.pdf', mediaType: 'application/pdf' }), callOptions()));
    expect(document).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('messages[0].content[1] is a URL; openai takes files as data (bytes, base64 or a data: URL), not by URL') });
    const audio = await failure(chat('files-url').doGenerate(withFiles({ type: 'file', data: 'https://example.com/a.wav', mediaType: 'audio/wav' }), callOptions()));
    expect(audio).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('openai takes audio as data') });
    expect(emulator.current.requests()).toHaveLength(0);
  });

  it('refuses a file over 32 MB before any request, naming the limit', async () => {
    const error = await failure(chat('files-big').doStream(withFiles({ type: 'file', data: OVERSIZE_BASE64, mediaType: 'application/pdf' }), callOptions())[Symbol.asyncIterator]().next());
    expect(error).toMatchObject({
      code: 'invalid_request',
      message: "Client 'Test' (openai, model files-big) cannot send the request: messages[0].content[1] is a file of 33 MB; openai takes files of at most 32 MB.",
    });
    expect(emulator.current.requests()).toHaveLength(0);
  });

  it('inside a registry, a type the provider does not declare is skipped before any request, and a fallback takes it', async () => {
    const registry = new ClientRegistry({ providers: [openai, openaiResponses], env: {} });
    const connection = { base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai };
    registry.addLlmClient('Chat', 'openai', { model: 'files-skip-chat', ...connection });
    registry.addLlmClient('Responses', 'openai-responses', { model: 'files-skip-responses', ...connection });
    registry.addLlmClient('Both', 'fallback', { strategy: ['Chat', 'Responses'] });
    const result = await registry.generate(withFiles({ type: 'file', data: TEXT_BASE64, mediaType: 'text/plain', filename: 'notes.txt' }), { client: 'Both' });
    expect(result.client).toBe('Responses');
    expect(result.attempts[0]).toMatchObject({ client: 'Chat', status: 'skipped', code: 'invalid_request' });
    expect(result.attempts[0]?.message).toContain('messages[0].content[1] is a file of type text/plain; it takes application/pdf, audio/wav');
    expect(emulator.current.requests({ model: 'files-skip-chat' })).toHaveLength(0);
  });

  it('azure-openai sends the same parts to its deployment', async () => {
    const model = buildModel(azureOpenAI, { base_url: `${emulator.current.baseUrls.azure}/openai/v1`, model: 'files-azure', api_key: TEST_CREDENTIALS.azure });
    await model.doGenerate(withFiles({ type: 'file', data: PDF, mediaType: 'application/pdf', filename: 'a.pdf' }), callOptions());
    expect(userContent('files-azure')).toContainEqual({ type: 'file', file: { filename: 'a.pdf', file_data: `data:application/pdf;base64,${PDF_BASE64}` } });
  });

  it('openai-generic takes what OpenAI takes and checks no size: a compatible server sets its own limits', async () => {
    const model = buildModel(openaiGeneric, { model: 'files-generic', base_url: emulator.current.baseUrls.openai, api_key: TEST_CREDENTIALS.openai });
    await model.doGenerate(withFiles({ type: 'file', data: WAV_BASE64, mediaType: 'audio/x-wav' }), callOptions());
    expect(userContent('files-generic')).toContainEqual({ type: 'input_audio', input_audio: { data: WAV_BASE64, format: 'wav' } });
    const big = await failure(model.doGenerate(withFiles({ type: 'file', data: OVERSIZE_BASE64, mediaType: 'application/pdf' }), callOptions()));
    // The emulator answers as OpenAI does: 400 for more than 32 MB of file content.
    expect(big).toMatchObject({ code: 'invalid_request', status: 400, message: expect.stringContaining('bytes of file content') });
    expect(emulator.current.requests({ model: 'files-generic' })).toHaveLength(2);
  });
});

describe('OpenRouter file parts', () => {
  it('sends PDFs by URL in file_data and audio in the formats its models take', async () => {
    const model = buildModel(openrouter, { model: 'files/router', base_url: emulator.current.baseUrls.openrouter, api_key: TEST_CREDENTIALS.openrouter });
    await model.doGenerate(
      withFiles(
        { type: 'file', data: 'https://arxiv.org/pdf/1706.03762', mediaType: 'application/pdf', filename: 'attention.pdf' },
        { type: 'file', data: WAV_BASE64, mediaType: 'audio/flac' },
      ),
      callOptions(),
    );
    expect(userContent('files/router')).toEqual([
      { type: 'text', text: 'Read these.' },
      { type: 'file', file: { filename: 'attention.pdf', file_data: 'https://arxiv.org/pdf/1706.03762' } },
      { type: 'input_audio', input_audio: { data: WAV_BASE64, format: 'flac' } },
    ]);
  });
});

describe('Responses input_file', () => {
  it('sends documents as input_file: data URLs with a name that tells the type, URLs as file_url', async () => {
    await responses('files-responses').doGenerate(
      withFiles(
        { type: 'file', data: PDF, mediaType: 'application/pdf', filename: 'report.pdf' },
        { type: 'file', data: TEXT_BASE64, mediaType: 'text/plain' },
        { type: 'file', data: 'https://example.com/letter.pdf', mediaType: 'application/pdf' },
      ),
      callOptions(),
    );
    const [item] = sentBody(emulator.current, 'files-responses').input as Array<{ content: unknown }>;
    expect(item?.content).toEqual([
      { type: 'input_text', text: 'Read these.' },
      { type: 'input_file', filename: 'report.pdf', file_data: `data:application/pdf;base64,${PDF_BASE64}` },
      { type: 'input_file', filename: 'part-2.txt', file_data: `data:text/plain;base64,${TEXT_BASE64}` },
      { type: 'input_file', file_url: 'https://example.com/letter.pdf' },
    ]);
  });

  it('refuses audio (the Responses API takes none) and a file over 32 MB before any request', async () => {
    const audio = await failure(responses('files-responses-refused').doGenerate(withFiles({ type: 'file', data: WAV_BASE64, mediaType: 'audio/wav' }), callOptions()));
    expect(audio).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^Client 'Test' \(openai-responses, model files-responses-refused\) cannot send the request: messages\[0\]\.content\[1\] is a file of type audio\/wav; openai-responses takes application\/pdf, text\/plain, /) });
    const big = await failure(responses('files-responses-refused').doGenerate(withFiles({ type: 'file', data: OVERSIZE_BASE64, mediaType: 'text/csv' }), callOptions()));
    expect(big).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('messages[0].content[1] is a file of 33 MB; openai-responses takes files of at most 32 MB') });
    expect(emulator.current.requests()).toHaveLength(0);
  });
});
