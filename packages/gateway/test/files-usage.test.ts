import { startEmulator, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_KEY, serverConfig, setup, type Setup } from './helpers.js';

let emulator: RunningEmulator;
let t: Setup;
beforeAll(async () => {
  emulator = await startEmulator();
  const config = serverConfig(emulator);
  config.clients!.push({ name: 'ClaudeThenMini', provider: 'fallback', options: { strategy: ['Claude', 'Mini'] } });
  t = await setup({ config }, emulator);
});
afterAll(async () => {
  await t.close();
  await emulator.close();
});

/** The smallest well-formed PDF header and trailer, as base64: enough for the emulators, which check the type, not the pages. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');
/** A WAV header with no samples. */
const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]).toString('base64');

describe('files through the gateway', () => {
  it("takes OpenAI's file part, and sends the PDF in each vendor's own form", async () => {
    for (const [client, model] of [['Mini', 'gpt-4o-mini'], ['Claude', 'claude-haiku-4-5']] as const) {
      emulator.script(model, { reply: { text: `read by ${client}` } });
      const completion = await t.client.chat.completions.create({
        model: client,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Summarise the report.' },
              { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'report.pdf' } },
            ],
          },
        ],
      });
      expect(completion.choices[0]!.message.content).toBe(`read by ${client}`);
      expect(JSON.stringify(emulator.requests({ model }).at(-1)!.body)).toContain(PDF);
    }
  });

  it("takes OpenAI's input_audio part; a strategy skips a member whose vendor takes no audio", async () => {
    emulator.script('gpt-4o-mini', { reply: { text: 'heard it' } });
    const before = emulator.requests({ model: 'claude-haiku-4-5' }).length;
    const { data, response } = await t.client.chat.completions
      .create({
        model: 'ClaudeThenMini',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is said?' }, { type: 'input_audio', input_audio: { data: WAV, format: 'wav' } }] }],
      })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('heard it');
    expect(response.headers.get('x-reg-client')).toBe('Mini');
    // Claude's attempt was skipped before any request: Anthropic takes no audio.
    expect(response.headers.get('x-reg-attempts')).toBe('2');
    expect(emulator.requests({ model: 'claude-haiku-4-5' })).toHaveLength(before);
    expect(JSON.stringify(emulator.requests({ model: 'gpt-4o-mini' }).at(-1)!.body)).toContain(WAV);
  });

  it('refuses a file part it cannot read, naming where', async () => {
    const response = await fetch(`${t.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'Mini', messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }] }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string; message: string } };
    expect(body.error.param).toBe('messages[0].content[0].file.file_id');
    expect(body.error.message).toMatch(/send its content as file\.file_data/);
  });
});

describe('usage through the gateway', () => {
  it("reports cache reads, cache writes and reasoning in OpenAI's fields, all counted in the totals", async () => {
    emulator.script('claude-haiku-4-5', { reply: { text: 'cached', usage: { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, cacheWriteInputTokens: 300 } } });
    const completion = await t.client.chat.completions.create({ model: 'Claude', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.usage).toMatchObject({ prompt_tokens: 1500, completion_tokens: 80, total_tokens: 1580, prompt_tokens_details: { cached_tokens: 1000 }, cache_creation_input_tokens: 300 });
    emulator.script('gpt-4o-mini', { reply: { text: 'thought', usage: { inputTokens: 20, outputTokens: 90, reasoningTokens: 64 } } });
    const stream = await t.client.chat.completions.create({ model: 'Mini', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    let usage: unknown;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 90, completion_tokens_details: { reasoning_tokens: 64 } });
  });
});
