import { AllClientsFailedError, ClientRegistry, RegError } from '@reg/core';
import { openai } from '@reg/provider-openai';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { failure, sentBody as body, useEmulator } from '@reg/testkit/vitest';
import { generateText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createReg } from '../src/index.js';
import { ANTHROPIC_MODEL, createRegistry, OPENAI_MODEL } from './helpers.js';

const emulator = useEmulator();

describe('generateText through reg', () => {
  it('returns the text, usage in the AI SDK shape, the finish reason and the answering client', async () => {
    emulator.current.script(OPENAI_MODEL, { reply: { text: 'Bonjour !', usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 4 } } });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = await generateText({ model: reg('Mini'), prompt: 'Say hello in French.', maxRetries: 0 });

    expect(result.text).toBe('Bonjour !');
    expect(result.finishReason).toBe('stop');
    expect(result.rawFinishReason).toBe('stop');
    expect(result.usage).toMatchObject({ inputTokens: 12, outputTokens: 3, totalTokens: 15, inputTokenDetails: { noCacheTokens: 8, cacheReadTokens: 4 } });
    expect(result.response.modelId).toBe(OPENAI_MODEL);
    expect(result.providerMetadata?.reg).toMatchObject({
      client: 'Mini',
      provider: 'openai',
      model: OPENAI_MODEL,
      requestId: expect.any(String),
      attempts: [{ client: 'Mini', provider: 'openai', status: 'success', durationMs: expect.any(Number) }],
    });
    expect(result.warnings).toEqual([]);
  });

  it('falls back from a failing client and reports every attempt', async () => {
    emulator.current.script(ANTHROPIC_MODEL, { sequence: [{ kind: 'status', status: 529 }, { kind: 'status', status: 529 }] });
    emulator.current.script(OPENAI_MODEL, { reply: { text: 'from Mini' } });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = await generateText({ model: reg('Resilient'), prompt: 'Hi', maxRetries: 0 });

    expect(result.text).toBe('from Mini');
    expect(result.providerMetadata?.reg).toMatchObject({
      client: 'Mini',
      attempts: [
        { client: 'Claude', status: 'failure', code: 'overloaded', httpStatus: 529 },
        { client: 'Claude', status: 'failure', code: 'overloaded', httpStatus: 529, gaveUp: 'max_retries' },
        { client: 'Mini', status: 'success' },
      ],
    });
    expect(emulator.current.requests({ model: ANTHROPIC_MODEL })).toHaveLength(2);
  });

  it('takes a `provider/model` shorthand as the client', async () => {
    emulator.current.script(OPENAI_MODEL, { reply: { text: 'shorthand' } });
    const env = { OPENAI_API_KEY: TEST_CREDENTIALS.openai, OPENAI_BASE_URL: emulator.current.baseUrls.openai };
    const reg = createReg({ registry: new ClientRegistry({ providers: [openai], env }) });

    const result = await generateText({ model: reg(`openai/${OPENAI_MODEL}`), prompt: 'Hi', maxRetries: 0 });

    expect(result.text).toBe('shorthand');
    expect(result.providerMetadata?.reg).toMatchObject({ client: `openai/${OPENAI_MODEL}`, provider: 'openai', model: OPENAI_MODEL });
  });

  it('maps the prompt and settings into the reg request the vendor receives', async () => {
    const reg = createReg({ registry: createRegistry(emulator.current) });

    await generateText({
      model: reg('Mini'),
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: [{ type: 'reasoning', text: 'thinking' }, { type: 'text', text: 'Hello!' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'file', data: new URL('https://example.com/cat.png'), mediaType: 'image' },
            { type: 'file', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), mediaType: 'image/png' },
          ],
        },
      ],
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 64,
      stopSequences: ['END'],
      providerOptions: { openai: { user: 'user-1' } },
      maxRetries: 0,
    });

    expect(body(emulator.current, OPENAI_MODEL)).toMatchObject({
      model: OPENAI_MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 64,
      stop: ['END'],
      user: 'user-1',
    });
  });

  it('warns about settings reg requests do not carry, and does not send them', async () => {
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = await generateText({
      model: reg('Mini'),
      prompt: 'Hi',
      topK: 3,
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      headers: { 'x-trace': 'abc' },
      maxRetries: 0,
    });

    expect(result.warnings?.map((warning) => 'feature' in warning && warning.feature)).toEqual(['topK', 'presencePenalty', 'frequencyPenalty', 'seed', 'headers']);
    expect(result.warnings?.[3]).toMatchObject({ type: 'unsupported', details: expect.stringContaining('providerOptions') });
    const sent = body(emulator.current, OPENAI_MODEL);
    expect(sent).not.toHaveProperty('seed');
    expect(sent).not.toHaveProperty('presence_penalty');
    expect(emulator.current.requests({ model: OPENAI_MODEL })[0]?.headers).not.toHaveProperty('x-trace');
  });

  it("lets reg's RegError through, and `ai`'s own retries never repeat a reg call", async () => {
    emulator.current.script(ANTHROPIC_MODEL, { sequence: [{ kind: 'status', status: 529 }, { kind: 'status', status: 529 }] });
    emulator.current.script(OPENAI_MODEL, { sequence: [{ kind: 'status', status: 401 }] });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    // `ai` retries 2 times by default, but only its own APICallError; reg already retried.
    const error = await failure(generateText({ model: reg('Resilient'), prompt: 'Hi' }));

    expect(AllClientsFailedError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect((error as RegError).code).toBe('all_failed');
    expect(emulator.current.requests({ model: ANTHROPIC_MODEL })).toHaveLength(2);
    expect(emulator.current.requests({ model: OPENAI_MODEL })).toHaveLength(1);
  });

  it('stops the call when the abort signal fires', async () => {
    emulator.current.script(OPENAI_MODEL, { sequence: [{ kind: 'hang' }] });
    const reg = createReg({ registry: createRegistry(emulator.current) });
    const controller = new AbortController();
    const pending = failure(generateText({ model: reg('Mini'), prompt: 'Hi', abortSignal: controller.signal, maxRetries: 0 }));
    await expect.poll(() => emulator.current.requests({ model: OPENAI_MODEL }).length).toBe(1);

    controller.abort();

    const error = await pending;
    expect(RegError.isInstance(error) && error.code).toBe('aborted');
    await expect.poll(() => emulator.current.requests({ model: OPENAI_MODEL })[0]?.clientClosedAt).toBeDefined();
  });

  it("applies the provider's and the model's timeoutMs, the call's providerOptions.reg winning", async () => {
    emulator.current.script(OPENAI_MODEL, { sequence: [{ kind: 'hang' }, { kind: 'hang' }] });
    const reg = createReg({ registry: createRegistry(emulator.current), settings: { timeoutMs: 60_000 } });

    const byModel = await failure(generateText({ model: reg('Mini', { timeoutMs: 50 }), prompt: 'Hi', maxRetries: 0 }));
    const byCall = await failure(generateText({ model: reg('Mini'), prompt: 'Hi', providerOptions: { reg: { timeoutMs: 50 } }, maxRetries: 0 }));

    expect(RegError.isInstance(byModel) && byModel.code).toBe('timeout');
    expect(RegError.isInstance(byCall) && byCall.code).toBe('timeout');
    // providerOptions.reg is for reg, not for the vendor.
    expect(body(emulator.current, OPENAI_MODEL, 1)).not.toHaveProperty('timeoutMs');
  });
});
