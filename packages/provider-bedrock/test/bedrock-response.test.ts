import { createServer, connect, type AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '@reg/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, collect, createModel, emulatorOptions, uniqueModel } from './helpers.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] };

describe('Converse results', () => {
  test('text, stop reason, request id and usage with cache reads counted in inputTokens', async () => {
    const model = uniqueModel('result');
    emulator.script(model, { reply: { text: 'Hi there.', usage: { inputTokens: 30, outputTokens: 4, cachedInputTokens: 20 } } });
    const result = await createModel(emulatorOptions(emulator, model)).doGenerate(hello, call());
    expect(result).toEqual({
      content: [{ type: 'text', text: 'Hi there.' }],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      // Bedrock reports inputTokens 10 + cacheReadInputTokens 20.
      usage: { inputTokens: 30, outputTokens: 4, totalTokens: 34, cachedInputTokens: 20 },
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  test('tool calls with parsed input', async () => {
    const model = uniqueModel('result-tools');
    emulator.script(model, { reply: { text: 'Checking.', toolCalls: [{ id: 'tooluse_a', name: 'get_weather', arguments: { city: 'Oslo' } }] } });
    const result = await createModel(emulatorOptions(emulator, model)).doGenerate(
      { ...hello, tools: [{ name: 'get_weather', inputSchema: { type: 'object' } }] },
      call(),
    );
    expect(result.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', toolCallId: 'tooluse_a', toolName: 'get_weather', input: { city: 'Oslo' } },
    ]);
    expect(result.finishReason).toBe('tool-calls');
  });

  test.each([
    ['length', 'max_tokens', 'length'],
    ['content-filter', 'content_filtered', 'content-filter'],
  ] as const)('finish reason %s', async (scripted, raw, expected) => {
    const model = uniqueModel(`finish-${scripted}`);
    emulator.script(model, { reply: { text: 'cut', finishReason: scripted } });
    const result = await createModel(emulatorOptions(emulator, model)).doGenerate(hello, call());
    expect(result).toMatchObject({ finishReason: expected, rawFinishReason: raw });
  });
});

describe('ConverseStream', () => {
  test('text deltas, streamed tool input, a complete tool call, then one finish with usage', async () => {
    const model = uniqueModel('stream');
    emulator.script(model, {
      reply: { text: 'Looking it up.', toolCalls: [{ id: 'tooluse_s', name: 'get_weather', arguments: { city: 'Zürich', days: 3 } }], usage: { inputTokens: 50, outputTokens: 9, cachedInputTokens: 40 } },
      chunkSize: 5,
    });
    const parts = await collect(createModel(emulatorOptions(emulator, model)).doStream({ ...hello, tools: [{ name: 'get_weather', inputSchema: { type: 'object' } }] }, call()));
    const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : []));
    expect(text.join('')).toBe('Looking it up.');
    expect(text.length).toBeGreaterThan(1);
    expect(text.every((delta) => delta !== '')).toBe(true);
    const deltas = parts.flatMap((part) => (part.type === 'tool-call-delta' ? [part] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((delta) => delta.toolCallId === 'tooluse_s' && delta.toolName === 'get_weather')).toBe(true);
    expect(JSON.parse(deltas.map((delta) => delta.inputDelta).join(''))).toEqual({ city: 'Zürich', days: 3 });
    expect(parts.filter((part) => part.type === 'tool-call')).toEqual([{ type: 'tool-call', toolCallId: 'tooluse_s', toolName: 'get_weather', input: { city: 'Zürich', days: 3 } }]);
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 50, outputTokens: 9, totalTokens: 59, cachedInputTokens: 40 },
    });
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
    expect(emulator.requests({ model })[0]?.path).toBe(`/model/${encodeURIComponent(model)}/converse-stream`);
  });

  test('generate and stream calls share one kept-alive connection', async () => {
    const model = uniqueModel('stream-session');
    // Counts TCP connections on their way to the emulator.
    let connections = 0;
    const proxy = createServer((socket) => {
      connections++;
      const upstream = connect(emulator.port, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const chat = createModel(emulatorOptions(emulator, model, { endpoint_url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` }));
      await chat.doGenerate(hello, call());
      await collect(chat.doStream(hello, call()));
      await collect(chat.doStream(hello, call()));
      await chat.doGenerate(hello, call());
      expect(emulator.requests({ model }).map((request) => request.httpVersion)).toEqual(['2.0', '2.0', '2.0', '2.0']);
      expect(connections).toBe(1);
    } finally {
      proxy.close();
    }
  });
});
