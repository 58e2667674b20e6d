import { AllClientsFailedError, StreamInterruptedError } from '@reg/core';
import { streamText } from 'ai';
import { failure, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { createReg } from '../src/index.js';
import { ANTHROPIC_MODEL, createRegistry, OPENAI_MODEL } from './helpers.js';

const emulator = useEmulator();

describe('streamText through reg', () => {
  it('streams text blocks, then usage, finish reason and the answering client', async () => {
    emulator.current.script(OPENAI_MODEL, { reply: { text: 'One, two, three.', usage: { inputTokens: 9, outputTokens: 5 } }, chunkSize: 4 });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = streamText({ model: reg('Mini'), prompt: 'Count to three.', maxRetries: 0 });
    const parts = [];
    for await (const part of result.fullStream) parts.push(part);

    const types = parts.map((part) => part.type);
    expect(types.filter((type) => type !== 'text-delta')).toEqual(['start', 'start-step', 'text-start', 'text-end', 'finish-step', 'finish']);
    const deltas = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : []));
    expect(deltas).toEqual(['One,', ' two', ', th', 'ree.']);
    expect(await result.text).toBe('One, two, three.');
    expect(await result.finishReason).toBe('stop');
    expect(await result.usage).toMatchObject({ inputTokens: 9, outputTokens: 5, totalTokens: 14 });
    expect((await result.response).modelId).toBe(OPENAI_MODEL);
    expect((await result.providerMetadata)?.reg).toMatchObject({ client: 'Mini', provider: 'openai', attempts: [{ client: 'Mini', status: 'success' }] });
  });

  it('falls back from a client that answers 529, before any text reaches the caller', async () => {
    emulator.current.script(ANTHROPIC_MODEL, { sequence: [{ kind: 'status', status: 529 }, { kind: 'status', status: 529 }] });
    emulator.current.script(OPENAI_MODEL, { reply: { text: 'Mini streams instead.' } });
    const reg = createReg({ registry: createRegistry(emulator.current) });
    const errors: unknown[] = [];

    const result = streamText({ model: reg('Resilient'), prompt: 'Hi', maxRetries: 0, onError: ({ error }) => void errors.push(error) });
    let text = '';
    for await (const delta of result.textStream) text += delta;

    expect(text).toBe('Mini streams instead.');
    expect(errors).toEqual([]);
    expect((await result.providerMetadata)?.reg).toMatchObject({
      client: 'Mini',
      attempts: [
        { client: 'Claude', status: 'failure', code: 'overloaded', httpStatus: 529 },
        { client: 'Claude', status: 'failure', code: 'overloaded', httpStatus: 529 },
        { client: 'Mini', status: 'success' },
      ],
    });
    expect(emulator.current.requests({ model: ANTHROPIC_MODEL })).toHaveLength(2);
    expect(emulator.current.requests({ model: OPENAI_MODEL })).toHaveLength(1);
  });

  it("answers from Claude's stream when it works", async () => {
    emulator.current.script(ANTHROPIC_MODEL, { reply: { text: 'Claude here.' } });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = streamText({ model: reg('Resilient'), prompt: 'Hi', maxRetries: 0 });

    expect(await result.text).toBe('Claude here.');
    expect((await result.providerMetadata)?.reg).toMatchObject({ client: 'Claude', provider: 'anthropic', model: ANTHROPIC_MODEL });
    expect(emulator.current.requests({ model: OPENAI_MODEL })).toHaveLength(0);
  });

  it('reports a failure after the first text as an error part (StreamInterruptedError), never a silent cut', async () => {
    emulator.current.script(ANTHROPIC_MODEL, {
      reply: { text: 'Claude starts, then fails.' },
      chunkSize: 4,
      sequence: [{ kind: 'stream-error', afterParts: 2, type: 'overloaded_error' }],
    });
    const reg = createReg({ registry: createRegistry(emulator.current) });
    const errors: unknown[] = [];

    const result = streamText({ model: reg('Resilient'), prompt: 'Hi', maxRetries: 0, onError: ({ error }) => void errors.push(error) });
    const parts = [];
    for await (const part of result.fullStream) parts.push(part);

    expect(parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : []))).toEqual(['Clau', 'de s']);
    const errorPart = parts.find((part) => part.type === 'error');
    expect(StreamInterruptedError.isInstance(errorPart?.error)).toBe(true);
    expect(errors).toHaveLength(1);
    expect(emulator.current.requests({ model: OPENAI_MODEL })).toHaveLength(0);
  });

  it('rejects with AllClientsFailedError when every client fails before content', async () => {
    emulator.current.script(ANTHROPIC_MODEL, { sequence: [{ kind: 'status', status: 529 }, { kind: 'status', status: 529 }] });
    emulator.current.script(OPENAI_MODEL, { sequence: [{ kind: 'status', status: 500 }] });
    const reg = createReg({ registry: createRegistry(emulator.current) });
    const errors: unknown[] = [];

    const result = streamText({ model: reg('Resilient'), prompt: 'Hi', maxRetries: 0, onError: ({ error }) => void errors.push(error) });
    const parts = [];
    for await (const part of result.fullStream) parts.push(part);

    expect(AllClientsFailedError.isInstance(errors[0])).toBe(true);
    expect(AllClientsFailedError.isInstance(parts.find((part) => part.type === 'error')?.error)).toBe(true);
    expect(parts.some((part) => part.type === 'text-delta')).toBe(false);
    await failure(result.text);
  });

  it('closes the upstream connection when the caller aborts mid-stream', async () => {
    emulator.current.script(OPENAI_MODEL, { reply: { text: 'a long answer that drips slowly' }, chunkSize: 2, sequence: [{ kind: 'drip', intervalMs: 30 }] });
    const reg = createReg({ registry: createRegistry(emulator.current) });
    const controller = new AbortController();
    let aborted = false;

    const result = streamText({ model: reg('Mini'), prompt: 'Hi', abortSignal: controller.signal, maxRetries: 0, onAbort: () => void (aborted = true) });
    let text = '';
    for await (const delta of result.textStream) {
      text += delta;
      if (text.length >= 4) controller.abort();
    }

    expect(text.length).toBeLessThan('a long answer that drips slowly'.length);
    expect(aborted).toBe(true);
    await expect.poll(() => emulator.current.requests({ model: OPENAI_MODEL })[0]?.clientClosedAt).toBeDefined();
  });

  it('closes the upstream connection when the consumer stops reading', async () => {
    emulator.current.script(OPENAI_MODEL, { reply: { text: 'a long answer that drips slowly' }, chunkSize: 2, sequence: [{ kind: 'drip', intervalMs: 30 }] });
    const reg = createReg({ registry: createRegistry(emulator.current) });
    const model = reg('Mini');

    const { stream } = await model.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });
    const reader = stream.getReader();
    expect((await reader.read()).value).toMatchObject({ type: 'stream-start', warnings: [] });
    await reader.cancel();

    await expect.poll(() => emulator.current.requests({ model: OPENAI_MODEL })[0]?.clientClosedAt).toBeDefined();
  });
});
