import type { StreamPart } from '@reg/core';
import { describe, expect, it } from 'vitest';
import { ChunkEncoder } from '../src/openai-wire-response.js';

const PARTS: StreamPart[] = [
  { type: 'start', client: 'Mini', provider: 'openai', model: 'gpt-"4o"' , attempts: [] },
  { type: 'text-delta', text: 'say "hi"\n' },
  { type: 'tool-call-delta', toolCallId: 'call_1', toolName: 'lookup', inputDelta: '{"q":' },
  { type: 'tool-call-delta', toolCallId: 'call_1', toolName: 'lookup', inputDelta: '"x"}' },
  { type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: { q: 'x' } },
  { type: 'tool-call', toolCallId: 'call_2', toolName: 'other', input: { n: 1 } },
  { type: 'finish', finishReason: 'tool-calls', usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8 }, client: 'Mini', provider: 'openai', model: 'gpt-"4o"', attempts: [] },
];

/** Every SSE event the encoder writes for PARTS, raw. */
function events(includeUsage: boolean): string[] {
  const encoder = new ChunkEncoder({ id: 'chatcmpl-abc', created: 1_700_000_000, includeUsage });
  return PARTS.map((part) => encoder.encode(part))
    .join('')
    .split(/(?<=\n\n)/);
}

const envelope = { id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-"4o"' };
const choice = (delta: Record<string, unknown>, finishReason: string | null = null) => [{ index: 0, delta, logprobs: null, finish_reason: finishReason }];
const EXPECTED = [
  { ...envelope, choices: choice({ role: 'assistant', content: '' }) },
  { ...envelope, choices: choice({ content: 'say "hi"\n' }) },
  { ...envelope, choices: choice({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":' } }] }) },
  { ...envelope, choices: choice({ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] }) },
  { ...envelope, choices: choice({ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'other', arguments: '{"n":1}' } }] }) },
  { ...envelope, choices: choice({}, 'tool_calls') },
];

describe('ChunkEncoder', () => {
  it('writes each part as one chat.completion.chunk event, then [DONE]', () => {
    const written = events(false);
    expect(written.every((event) => event.startsWith('data: ') && event.endsWith('\n\n'))).toBe(true);
    expect(written.at(-1)).toBe('data: [DONE]\n\n');
    // Key order too: the envelope first, as OpenAI sends it.
    expect(written.slice(0, -1)).toEqual(EXPECTED.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`));
  });

  it('with include_usage, gives every chunk usage: null and adds a usage chunk without choices', () => {
    const written = events(true);
    expect(written.slice(0, -2).map((event) => JSON.parse(event.slice(6)))).toEqual(EXPECTED.map((chunk) => ({ ...chunk, usage: null })));
    expect(JSON.parse(written.at(-2)!.slice(6))).toEqual({ ...envelope, choices: [], usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } });
    expect(written.at(-1)).toBe('data: [DONE]\n\n');
  });
});
