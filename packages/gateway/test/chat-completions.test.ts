import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type Setup } from './helpers.js';

let t: Setup;
beforeAll(async () => {
  t = await setup();
});
afterAll(() => t.close());

describe('POST /v1/chat/completions (JSON)', () => {
  it('answers through the named client and says which one, after how many attempts', async () => {
    t.emulator.script('gpt-4o-mini', { reply: { text: 'Hello there', usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 4 } } });
    const { data, response } = await t.client.chat.completions
      .create({ model: 'Mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], temperature: 0.2, max_tokens: 50 })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]!.message.content).toBe('Hello there');
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.model).toBe('gpt-4o-mini');
    expect(data.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 } });
    expect(response.headers.get('x-reg-client')).toBe('Mini');
    expect(response.headers.get('x-reg-attempts')).toBe('1');
    const upstream = t.emulator.requests({ model: 'gpt-4o-mini' }).at(-1)!;
    expect(upstream.body).toMatchObject({ temperature: 0.2, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] });
  });

  it('routes to another vendor by client name', async () => {
    t.emulator.script('claude-haiku-4-5', { reply: { text: 'from claude' } });
    const { data, response } = await t.client.chat.completions.create({ model: 'Claude', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe('from claude');
    expect(response.headers.get('x-reg-client')).toBe('Claude');
    expect(t.emulator.requests({ model: 'claude-haiku-4-5' }).at(-1)!.vendor).toBe('anthropic');
  });

  it('falls back inside a strategy and reports the answering leaf and the attempts', async () => {
    t.emulator.script('broken', { sequence: [{ kind: 'status', status: 500 }] });
    t.emulator.script('gpt-4o-mini', { reply: { text: 'fallback answer' } });
    const { data, response } = await t.client.chat.completions.create({ model: 'Resilient', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe('fallback answer');
    expect(response.headers.get('x-reg-client')).toBe('Mini');
    expect(response.headers.get('x-reg-attempts')).toBe('2');
  });

  it('maps tools, tool choice and tool results both ways', async () => {
    t.emulator.script('gpt-4o-mini', { reply: { toolCalls: [{ id: 'call_1', name: 'weather', arguments: { city: 'Paris' } }] } });
    const tools = [{ type: 'function' as const, function: { name: 'weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const first = await t.client.chat.completions.create({ model: 'Mini', messages: [{ role: 'user', content: 'Weather?' }], tools, tool_choice: 'required' });
    const message = first.choices[0]!.message;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }]);
    let upstream = t.emulator.requests({ model: 'gpt-4o-mini' }).at(-1)!.body as Record<string, unknown>;
    expect(upstream.tools).toEqual(tools);
    expect(upstream.tool_choice).toBe('required');

    t.emulator.script('gpt-4o-mini', { reply: { text: 'Sunny' } });
    const second = await t.client.chat.completions.create({
      model: 'Mini',
      tools,
      messages: [{ role: 'user', content: 'Weather?' }, message, { role: 'tool', tool_call_id: 'call_1', content: '{"sky":"clear"}' }],
    });
    expect(second.choices[0]!.message.content).toBe('Sunny');
    upstream = t.emulator.requests({ model: 'gpt-4o-mini' }).at(-1)!.body as Record<string, unknown>;
    expect(upstream.messages).toEqual([
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"sky":"clear"}' },
    ]);
  });

  it('passes JSON mode and OpenAI-only fields to an OpenAI upstream', async () => {
    t.emulator.script('gpt-4o-mini', { reply: { text: '{"ok":true}' } });
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    await t.client.chat.completions.create({
      model: 'Mini',
      messages: [{ role: 'user', content: 'json' }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } },
      seed: 7,
      stop: 'END',
    });
    const upstream = t.emulator.requests({ model: 'gpt-4o-mini' }).at(-1)!.body as Record<string, unknown>;
    expect(upstream.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema } });
    expect(upstream.seed).toBe(7);
    expect(upstream.stop).toEqual(['END']);
  });

  it("gives server-defined clients the server environment's keys", async () => {
    t.emulator.script('from-env', { reply: { text: 'env key works' } });
    const data = await t.client.chat.completions.create({ model: 'FromEnv', messages: [{ role: 'user', content: 'Hi' }] });
    expect(data.choices[0]!.message.content).toBe('env key works');
    expect(t.emulator.requests({ model: 'from-env' }).at(-1)!.headers.authorization).toBe('Bearer sk-test-openai-0000');
  });
});

describe('GET routes', () => {
  it('lists the configured clients as models', async () => {
    const list = await t.client.models.list();
    expect(list.data.map((model) => model.id)).toEqual(['Mini', 'Claude', 'Broken', 'Resilient', 'Retrying', 'FromEnv']);
  });

  it('answers health and readiness without a key', async () => {
    expect((await fetch(`${t.gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('answers unknown routes with 404 in the OpenAI error shape', async () => {
    const response = await fetch(`${t.gateway.url}/v1/nothing`, { headers: { authorization: 'Bearer gw-test-key-0001' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'not_found_error', code: 'not_found' } });
  });
});
