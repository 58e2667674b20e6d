import { AllClientsFailedError } from '@reg/core';
import { failure, sentBody as body, useEmulator } from '@reg/testkit/vitest';
import { generateText, streamText, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { createReg } from '../src/index.js';
import { ANTHROPIC_MODEL, createRegistry, OPENAI_MODEL } from './helpers.js';

const emulator = useEmulator();
const PDF = new Uint8Array(Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'));
const PDF_BASE64 = Buffer.from(PDF).toString('base64');
const WAV_BASE64 = Buffer.from('RIFF$\x00\x00\x00WAVEfmt ', 'latin1').toString('base64');

function asking(file: { data: Uint8Array | string; mediaType: string; filename?: string }): ModelMessage[] {
  return [{ role: 'user', content: [{ type: 'text', text: 'What is in this file?' }, { type: 'file', ...file }] }];
}

describe("files in an AI SDK prompt (`ai`'s generateText and streamText) as reg file parts", () => {
  it('generateText sends a PDF to Claude as its document block; the reg request holds it as a file part', async () => {
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = await generateText({
      model: reg('Claude'),
      messages: asking({ data: PDF, mediaType: 'application/pdf', filename: 'report.pdf' }),
      include: { requestBody: true },
      maxRetries: 0,
    });

    const [message] = body(emulator.current, ANTHROPIC_MODEL).messages as Array<{ content: unknown[] }>;
    expect(message?.content[1]).toMatchObject({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF_BASE64 } });
    expect(result.request.body).toMatchObject({
      messages: [{ role: 'user', content: [{ type: 'text' }, { type: 'file', mediaType: 'application/pdf', filename: 'report.pdf' }] }],
    });
  });

  it('streamText sends WAV audio (base64) to Mini as OpenAI input_audio', async () => {
    emulator.current.script(OPENAI_MODEL, { reply: { text: 'A short tone.' } });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = streamText({ model: reg('Mini'), messages: asking({ data: WAV_BASE64, mediaType: 'audio/wav' }), maxRetries: 0 });

    expect(await result.text).toBe('A short tone.');
    expect(body(emulator.current, OPENAI_MODEL).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is in this file?' }, { type: 'input_audio', input_audio: { data: WAV_BASE64, format: 'wav' } }] },
    ]);
  });

  it('a fallback skips a member that cannot take the file, before any request to it, and reaches one that can', async () => {
    emulator.current.script(OPENAI_MODEL, { reply: { text: 'Heard it.' } });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = await generateText({ model: reg('Resilient'), messages: asking({ data: WAV_BASE64, mediaType: 'audio/wav' }), maxRetries: 0 });

    expect(result.text).toBe('Heard it.');
    expect(result.providerMetadata?.reg).toMatchObject({
      client: 'Mini',
      attempts: [
        { client: 'Claude', status: 'skipped', code: 'invalid_request', message: expect.stringContaining('audio/wav') },
        { client: 'Mini', status: 'success' },
      ],
    });
    expect(emulator.current.requests({ model: ANTHROPIC_MODEL })).toHaveLength(0);
  });

  it('a file no client takes fails before any request, naming the part and its type', async () => {
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const error = await failure(generateText({ model: reg('Resilient'), messages: asking({ data: PDF_BASE64, mediaType: 'application/x-msdownload' }), maxRetries: 0 }));

    expect(AllClientsFailedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('messages[0].content[1] is a file of type application/x-msdownload');
    expect(emulator.current.requests()).toHaveLength(0);
  });
});
