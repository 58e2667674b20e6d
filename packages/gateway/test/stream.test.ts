import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, setup, type Setup } from './helpers.js';

let t: Setup;
beforeAll(async () => {
  t = await setup();
});
afterAll(() => t.close());

describe('stream: true', () => {
  it('streams text as SSE chunks with usage last when asked', async () => {
    t.emulator.script('gpt-4o-mini', { reply: { text: 'Streaming words here', usage: { inputTokens: 5, outputTokens: 4 } }, chunkSize: 5 });
    const { data: stream, response } = await t.client.chat.completions
      .create({ model: 'Mini', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-reg-client')).toBe('Mini');
    expect(response.headers.get('x-reg-attempts')).toBe('1');
    let text = '';
    const finishReasons: Array<string | null> = [];
    let usage: unknown;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      for (const choice of chunk.choices) {
        text += choice.delta.content ?? '';
        finishReasons.push(choice.finish_reason);
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Streaming words here');
    expect(finishReasons.at(-1)).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });
  });

  it('ends with data: [DONE] and sends no usage chunk unless asked', async () => {
    t.emulator.script('gpt-4o-mini', { reply: { text: 'ok' } });
    const response = await post(t.gateway, { model: 'Mini', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const body = await response.text();
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(body).not.toContain('"usage"');
  });

  it('streams tool calls the SDK can assemble', async () => {
    t.emulator.script('gpt-4o-mini', { reply: { toolCalls: [{ id: 'call_9', name: 'lookup', arguments: { query: 'reg gateway' } }] }, chunkSize: 4 });
    const stream = t.client.chat.completions.stream({
      model: 'Mini',
      messages: [{ role: 'user', content: 'look it up' }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { query: { type: 'string' } } } } }],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final.choices[0]!.message.tool_calls).toEqual([
      expect.objectContaining({ id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '{"query":"reg gateway"}' } }),
    ]);
  });

  it('streams from Anthropic upstreams in the OpenAI format', async () => {
    t.emulator.script('claude-haiku-4-5', { reply: { text: 'claude streams' } });
    const stream = await t.client.chat.completions.create({ model: 'Claude', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('claude streams');
  });

  it('retries before the first content unseen, and counts those attempts in the headers', async () => {
    t.emulator.script('flaky', { sequence: [{ kind: 'status', status: 503 }, { kind: 'reset' }], reply: { text: 'third time' } });
    const { data: stream, response } = await t.client.chat.completions
      .create({ model: 'Retrying', messages: [{ role: 'user', content: 'Hi' }], stream: true })
      .withResponse();
    expect(response.headers.get('x-reg-attempts')).toBe('3');
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('third time');
  });

  it('fails with an HTTP error status when no content was sent yet', async () => {
    t.emulator.script('broken', { sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 7 }] });
    const response = await post(t.gateway, { model: 'Broken', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limited' } });
  });

  it('ends a stream that fails after content with an in-band error the SDK throws', async () => {
    t.emulator.script('broken', { sequence: [{ kind: 'cut', afterParts: 2 }], chunkSize: 2, reply: { text: 'abcdefghij' } });
    const stream = await t.client.chat.completions.create({ model: 'Broken', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    const read = async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    };
    await expect(read()).rejects.toMatchObject({ error: { code: 'stream_interrupted' } });
    expect(text).toBe('abcd');
  });
});
