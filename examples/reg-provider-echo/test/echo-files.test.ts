import { ClientRegistry, RegError, type ChatRequest, type FilePart } from '@reg/core';
import { buildModel, callOptions, collect, failure, sentBody, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { echo } from '../src/index.js';
import { ECHO_TEST_KEY, echoBaseUrl, echoRoutes } from '../src/testing/index.js';

const emulator = useEmulator({ routes: echoRoutes });
let counter = 0;

const LIMIT = 4 * 1024 * 1024;

function withFiles(...files: Array<Omit<FilePart, 'type'>>): ChatRequest {
  return { messages: [{ role: 'user', content: [{ type: 'text', text: 'Read these.' }, ...files.map((file) => ({ type: 'file' as const, ...file }))] }] };
}

function registryFor(model: string): ClientRegistry {
  const registry = new ClientRegistry({ providers: [echo], env: {} });
  registry.addLlmClient('Echo', 'echo', { model, base_url: echoBaseUrl(emulator.current.url), api_key: ECHO_TEST_KEY });
  return registry;
}

describe('files', () => {
  it('sends a PDF, a text file and a WAV clip as base64 with their names, and a URL as a URL', async () => {
    const model = `files-${++counter}`;
    await registryFor(model).generate(
      withFiles(
        { data: new Uint8Array([0x25, 0x50, 0x44, 0x46]), mediaType: 'application/pdf', filename: 'report.pdf' },
        { data: 'data:text/plain;base64,aGVsbG8=', mediaType: 'text/plain; charset=utf-8' },
        { data: 'UklGRiQAAABXQVZF', mediaType: 'audio/wav', filename: 'clip.wav' },
        { data: 'https://example.com/manual.pdf', mediaType: 'application/pdf' },
      ),
      { client: 'Echo' },
    );
    expect((sentBody(emulator.current, model).turns as unknown[])[0]).toEqual({
      from: 'user',
      parts: [
        { text: 'Read these.' },
        { file: { base64: 'JVBERg==', media_type: 'application/pdf', name: 'report.pdf' } },
        { file: { base64: 'aGVsbG8=', media_type: 'text/plain' } },
        { file: { base64: 'UklGRiQAAABXQVZF', media_type: 'audio/wav', name: 'clip.wav' } },
        { file: { url: 'https://example.com/manual.pdf', media_type: 'application/pdf' } },
      ],
    });
  });

  it('a file of a type the provider does not declare is skipped by the registry before any request, naming the part', async () => {
    const model = `files-undeclared-${++counter}`;
    const error = await failure(registryFor(model).generate(withFiles({ data: 'UEsDBA==', mediaType: 'application/zip' }), { client: 'Echo' }));
    expect(RegError.isInstance(error) && { code: error.code, retryable: error.retryable }).toEqual({ code: 'invalid_request', retryable: false });
    expect((error as RegError).message).toContain('messages[0].content[1] is a file of type application/zip; it takes application/pdf, text/plain, audio/wav');
    expect(emulator.current.requests({ model })).toHaveLength(0);
  });

  it('the model itself refuses a type the API does not take, naming the client, the part and the types it takes', async () => {
    const model = buildModel(echo, { model: 'files-direct', base_url: echoBaseUrl(emulator.current.url), api_key: ECHO_TEST_KEY });
    const error = await failure(model.doGenerate(withFiles({ data: 'AAAA', mediaType: 'audio/mpeg' }), callOptions()));
    expect(RegError.isInstance(error) && { code: error.code, retryable: error.retryable, client: error.client }).toEqual({ code: 'invalid_request', retryable: false, client: 'Test' });
    expect((error as RegError).message).toBe(
      "Client 'Test' (echo, model files-direct) cannot send the request: messages[0].content[1] is a file of type audio/mpeg; the Echo API takes application/pdf, text/plain, audio/wav.",
    );
    expect(emulator.current.requests({ model: 'files-direct' })).toHaveLength(0);
  });

  it('a file over 4 MiB fails before any request, in generate and stream, naming the limit', async () => {
    const model = `files-oversize-${++counter}`;
    const registry = registryFor(model);
    const request = withFiles({ data: new Uint8Array(LIMIT + 1), mediaType: 'application/pdf', filename: 'big.pdf' });
    const error = await failure(registry.generate(request, { client: 'Echo' }));
    expect(RegError.isInstance(error) && { code: error.code, retryable: error.retryable }).toEqual({ code: 'invalid_request', retryable: false });
    expect((error as RegError).message).toContain(`messages[0].content[1] is a file of ${LIMIT + 1} bytes; the Echo API takes at most ${LIMIT} bytes (4 MiB) a file.`);
    const streamed = await failure(collect(registry.stream(request, { client: 'Echo' })));
    expect((streamed as RegError).code).toBe('invalid_request');
    expect(emulator.current.requests({ model })).toHaveLength(0);
    // Exactly the limit is fine, sent as raw base64 too.
    const atLimit = Buffer.alloc(LIMIT).toString('base64');
    await registry.generate(withFiles({ data: atLimit, mediaType: 'application/pdf' }), { client: 'Echo' });
    expect(emulator.current.requests({ model })).toHaveLength(1);
  });

  it('the emulated API refuses what the Echo API refuses, with its 400 problem', async () => {
    const post = async (parts: unknown[]) => {
      const response = await fetch(`${echoBaseUrl(emulator.current.url)}/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-echo-key': ECHO_TEST_KEY },
        body: JSON.stringify({ model: 'raw', turns: [{ from: 'user', parts }] }),
      });
      return { status: response.status, body: (await response.json()) as { problem?: { kind: string; detail: string } } };
    };
    expect(await post([{ text: 'Hi' }, { file: { base64: 'AAAA', media_type: 'audio/mpeg' } }])).toEqual({
      status: 400,
      body: { problem: { kind: 'bad_request', detail: 'turns[0].parts[1].file.media_type must be one of application/pdf, text/plain, audio/wav.' } },
    });
    expect(await post([{ file: { base64: Buffer.alloc(LIMIT + 3).toString('base64'), media_type: 'application/pdf' } }])).toEqual({
      status: 400,
      body: { problem: { kind: 'bad_request', detail: `turns[0].parts[0].file holds ${LIMIT + 3} bytes; a file may hold at most ${LIMIT}.` } },
    });
    expect((await post([{ file: { media_type: 'text/plain' } }])).body.problem?.detail).toBe('turns[0].parts[0].file needs base64 or url.');
    expect((await post([{ sound: 'beep' }])).body.problem?.detail).toBe('turns[0].parts[0] must be a text, image or file part.');
    expect((await post([{ file: { url: 'https://example.com/a.txt', media_type: 'text/plain' } }])).status).toBe(200);
  });
});

describe('usage', () => {
  it('cache reads and writes are parts of the input, reasoning of the output; a part the API leaves out stays unset', async () => {
    const model = `usage-${++counter}`;
    const registry = registryFor(model);
    emulator.current.script(model, {
      reply: { text: 'Thought.', usage: { inputTokens: 900, outputTokens: 40, cachedInputTokens: 600, cacheWriteInputTokens: 200, reasoningTokens: 25 } },
      sequence: ['ok', 'ok', { text: 'Plain.', usage: { inputTokens: 10, outputTokens: 2 } }],
    });
    const expected = { inputTokens: 900, outputTokens: 40, totalTokens: 940, cachedInputTokens: 600, cacheWriteInputTokens: 200, reasoningTokens: 25 };
    expect((await registry.generate({ messages: [{ role: 'user', content: 'Think.' }] }, { client: 'Echo' })).usage).toEqual(expected);
    const parts = await collect(registry.stream({ messages: [{ role: 'user', content: 'Think.' }] }, { client: 'Echo' }));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: expected });
    const plain = await registry.generate({ messages: [{ role: 'user', content: 'Plain.' }] }, { client: 'Echo' });
    expect(plain.usage).toStrictEqual({ inputTokens: 10, outputTokens: 2, totalTokens: 12 });
  });
});
