import { TEST_CREDENTIALS, startEmulator, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { googleAi } from '../src/index.js';
import { toFinishReason, toUsage } from '../src/google-response.js';
import { buildModel, call, collect, user } from './helpers.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const gemini = (model: string) => buildModel(googleAi, { model, base_url: emulator.baseUrls.gemini, api_key: TEST_CREDENTIALS.gemini });

describe('google-ai results', () => {
  it('returns text, usage with cached tokens, finish reason and the response id', async () => {
    emulator.script('gemini-text', { reply: { text: 'Hello there', usage: { inputTokens: 100, outputTokens: 4, cachedInputTokens: 60 } } });
    const result = await gemini('gemini-text').doGenerate(user('Hi'), call());
    expect(result.content).toEqual([{ type: 'text', text: 'Hello there' }]);
    expect(result.finishReason).toBe('stop');
    expect(result.rawFinishReason).toBe('STOP');
    expect(result.usage).toEqual({ inputTokens: 100, outputTokens: 4, totalTokens: 104, cachedInputTokens: 60 });
    expect(result.requestId).toMatch(/^[\w-]{20}$/);
  });

  it('returns function calls with generated stable ids and finish reason tool-calls', async () => {
    emulator.script('gemini-tools', { reply: { toolCalls: [{ name: 'a', arguments: { x: 1 } }, { name: 'b', arguments: { y: 2 } }] } });
    const result = await gemini('gemini-tools').doGenerate(user('go'), call());
    expect(result.finishReason).toBe('tool-calls');
    const calls = result.content.filter((part) => part.type === 'tool-call');
    expect(calls.map((part) => [part.toolName, part.input])).toEqual([
      ['a', { x: 1 }],
      ['b', { y: 2 }],
    ]);
    expect(calls[0]?.toolCallId).toBe(`gemini-call-${result.requestId}-0`);
    expect(calls[1]?.toolCallId).toBe(`gemini-call-${result.requestId}-1`);
  });

  it('keeps the ids Gemini sends', async () => {
    emulator.script('gemini-ids', { reply: { toolCalls: [{ id: 'fc-1', name: 'a', arguments: {} }] } });
    const result = await gemini('gemini-ids').doGenerate(user('go'), call());
    expect(result.content).toEqual([{ type: 'tool-call', toolCallId: 'fc-1', toolName: 'a', input: {} }]);
  });

  it('maps MAX_TOKENS to length and SAFETY to content-filter', async () => {
    emulator.script('gemini-finish', { sequence: [{ text: 'cut', finishReason: 'length' }, { finishReason: 'content-filter' }] });
    expect((await gemini('gemini-finish').doGenerate(user('x'), call())).finishReason).toBe('length');
    const blocked = await gemini('gemini-finish').doGenerate(user('x'), call());
    expect(blocked).toMatchObject({ finishReason: 'content-filter', rawFinishReason: 'SAFETY', content: [] });
  });

  it.each([
    [{ finishReason: 'RECITATION' }, 'content-filter'],
    [{ finishReason: 'BLOCKLIST' }, 'content-filter'],
    [{ finishReason: 'PROHIBITED_CONTENT' }, 'content-filter'],
    [{ finishReason: 'SPII' }, 'content-filter'],
    [{ finishReason: 'IMAGE_SAFETY' }, 'content-filter'],
    [{ blockReason: 'SAFETY' }, 'content-filter'],
    [{ finishReason: 'MALFORMED_FUNCTION_CALL' }, 'other'],
    [{ finishReason: 'STOP', hasToolCalls: true }, 'tool-calls'],
    [{}, 'other'],
  ])('finish reason %o -> %s', (input, expected) => {
    expect(toFinishReason({ hasToolCalls: false, ...input })).toBe(expected);
  });

  it('counts thinking tokens as output', () => {
    expect(toUsage({ promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 20, totalTokenCount: 35 })).toEqual({
      inputTokens: 10,
      outputTokens: 25,
      totalTokens: 35,
    });
  });
});

describe('google-ai streaming', () => {
  it('streams text deltas, then one finish with usage', async () => {
    emulator.script('gemini-stream', { reply: { text: 'Streaming in pieces.', usage: { inputTokens: 7, outputTokens: 5 } }, chunkSize: 5 });
    const parts = await collect(gemini('gemini-stream').doStream(user('go'), call()));
    const deltas = parts.filter((part) => part.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((part) => part.text).join('')).toBe('Streaming in pieces.');
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', rawFinishReason: 'STOP', usage: { inputTokens: 7, outputTokens: 5, totalTokens: 12 } });
    expect(emulator.requests({ model: 'gemini-stream' })[0]?.query).toEqual({ alt: 'sse' });
  });

  it('yields one tool-call-delta with the whole JSON, then the tool call, and tool-calls at the end', async () => {
    emulator.script('gemini-stream-tools', { reply: { text: 'Checking.', toolCalls: [{ name: 'lookup', arguments: { q: 'Paris' } }] }, chunkSize: 4 });
    const parts = await collect(gemini('gemini-stream-tools').doStream(user('go'), call()));
    const delta = parts.find((part) => part.type === 'tool-call-delta');
    const toolCall = parts.find((part) => part.type === 'tool-call');
    expect(delta).toMatchObject({ toolName: 'lookup', inputDelta: '{"q":"Paris"}' });
    expect(toolCall).toMatchObject({ toolName: 'lookup', input: { q: 'Paris' }, toolCallId: delta?.type === 'tool-call-delta' ? delta.toolCallId : '' });
    expect(parts.indexOf(delta!)).toBe(parts.indexOf(toolCall!) - 1);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
  });
});
