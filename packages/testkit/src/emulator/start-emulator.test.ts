import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, TEST_CREDENTIALS, type RunningEmulator } from '../index.js';

describe('startEmulator', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('serves every vendor on one 127.0.0.1 port and scripts them by model name', async () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    emulator.script('gpt-4o-mini', { reply: { text: 'openai here' } });
    emulator.script('claude-haiku-4-5-20251001', { reply: { text: 'anthropic here' } });
    const openai = new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: emulator.baseUrls.openai, maxRetries: 0 });
    const anthropic = new Anthropic({ apiKey: TEST_CREDENTIALS.anthropic, baseURL: emulator.baseUrls.anthropic, maxRetries: 0 });
    const chat = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const message = await anthropic.messages.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.choices[0]?.message.content).toBe('openai here');
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'anthropic here' });
    expect(emulator.requests().map((request) => `${request.vendor} ${request.path} ${request.model}`)).toEqual([
      'openai /v1/chat/completions gpt-4o-mini',
      'anthropic /v1/messages claude-haiku-4-5-20251001',
    ]);
  });
});
