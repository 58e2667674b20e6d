import { TEST_CREDENTIALS } from '@reg/testkit';
import { callOptions, sentBody, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { geminiModel } from './google-models.js';

const emulator = useEmulator();
const gemini = () => geminiModel(emulator.current, 'gemini-messages');

describe('messages to Gemini contents', () => {
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
      callOptions(),
    );
    const [request] = emulator.current.requests({ model: 'gemini-messages' });
    expect(request?.path).toBe('/v1beta/models/gemini-messages:generateContent');
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

  it('maps images: base64, data URL, bytes as inlineData; http(s) URLs as fileData', async () => {
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
              { type: 'image', image: 'https://example.com/photo' },
              { type: 'text', text: 'What are these?' },
            ],
          },
        ],
      },
      callOptions(),
    );
    expect(sentBody(emulator.current, 'gemini-messages').contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'image/webp', data: 'aGVsbG8=' } },
          { inlineData: { mimeType: 'image/jpeg', data: '/9j/AA==' } },
          { inlineData: { mimeType: 'image/gif', data: 'AQID' } },
          { fileData: { fileUri: 'https://example.com/cat.png', mimeType: 'image/png' } },
          { fileData: { fileUri: 'https://example.com/photo', mimeType: 'image/jpeg' } },
          { text: 'What are these?' },
        ],
      },
    ]);
  });

  it('inline data without a stated type takes the one its bytes show, else image/png', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await gemini().doGenerate(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', image: png },
              { type: 'image', image: 'aGVsbG8=' },
            ],
          },
        ],
      },
      callOptions(),
    );
    const [content] = sentBody(emulator.current, 'gemini-messages').contents as Array<{ parts: Array<{ inlineData: { mimeType: string } }> }>;
    expect(content?.parts.map((part) => part.inlineData.mimeType)).toEqual(['image/png', 'image/png']);
  });
});
