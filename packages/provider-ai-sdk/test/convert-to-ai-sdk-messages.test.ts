import type { ChatRequest } from '@reg/core';
import { buildModel, callOptions, sentBody, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { aiSdk } from '../src/index.js';
import { clientOptions } from './emulated-client.js';

const emulator = useEmulator();
const createModel = (model: string, extra: Record<string, unknown> = {}) => buildModel(aiSdk, clientOptions(emulator.current, model, extra));
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
const PNG_BASE64 = Buffer.from(PNG).toString('base64');

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
