import { createRequire } from 'node:module';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InternalServerException,
  ModelStreamErrorException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { useEmulator } from '../vitest.js';
import { converseStreamPlan } from './bedrock-converse.js';
import { decodeEventStream } from './bedrock-event-stream.js';

const MODEL = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const messages = [{ role: 'user' as const, content: [{ text: 'Tell me something' }] }];
const USAGE = { inputTokens: 3, outputTokens: 2, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 };
const toolConfig = { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object' } } } }] };
const requireFromSdk = createRequire(createRequire(import.meta.url).resolve('@aws-sdk/client-bedrock-runtime'));
const { NodeHttpHandler } = requireFromSdk('@smithy/node-http-handler') as { NodeHttpHandler: new () => object };

const emulator = useEmulator();
let client: BedrockRuntimeClient;

beforeAll(() => {
  client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: emulator.current.url, credentials: TEST_CREDENTIALS.aws, maxAttempts: 1 });
});
afterAll(() => client.destroy());

/** Reads the stream to its end or first error, keeping the events seen and when each arrived. */
async function collect(streamClient = client, input: Partial<ConstructorParameters<typeof ConverseStreamCommand>[0]> = {}) {
  const events: ConverseStreamOutput[] = [];
  const arrivals: number[] = [];
  const response = await streamClient.send(new ConverseStreamCommand({ modelId: MODEL, messages, ...input }));
  let error: unknown;
  try {
    for await (const event of response.stream!) {
      events.push(event);
      arrivals.push(performance.now());
    }
  } catch (caught) {
    error = caught;
  }
  const text = events.map((event) => event.contentBlockDelta?.delta?.text ?? '').join('');
  return { response, events, arrivals, text, error };
}

describe('ConverseStream', () => {
  test('streams the same text, stop reason and usage as Converse', async () => {
    const reply = { text: 'The quick brown fox jumps over the lazy dog.', usage: { inputTokens: 20, outputTokens: 11, cachedInputTokens: 8 } };
    emulator.current.script(MODEL, { reply, chunkSize: 5 });
    const { response, events, text, error } = await collect();
    const json = await client.send(new ConverseCommand({ modelId: MODEL, messages }));

    expect(error).toBeUndefined();
    expect(response.$metadata).toMatchObject({ httpStatusCode: 200, requestId: expect.any(String) });
    expect(text).toBe(reply.text);
    expect(text).toBe(json.output?.message?.content?.[0]?.text);
    expect(events[0]).toEqual({ messageStart: { role: 'assistant' } });
    expect(events.filter((event) => event.contentBlockDelta)).toHaveLength(9);
    expect(events.at(-3)).toEqual({ contentBlockStop: { contentBlockIndex: 0 } });
    expect(events.at(-2)).toEqual({ messageStop: { stopReason: 'end_turn' } });
    const metadata = events.at(-1)?.metadata;
    expect(metadata?.usage).toEqual({ inputTokens: 12, outputTokens: 11, totalTokens: 31, cacheReadInputTokens: 8, cacheWriteInputTokens: 0 });
    expect(metadata?.usage).toEqual(json.usage);
    expect(metadata?.metrics?.latencyMs).toBeGreaterThanOrEqual(0);

    const [request] = emulator.current.requests({ model: MODEL });
    expect(request).toMatchObject({ path: '/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream', httpVersion: '2.0' });
    expect(request?.body).toEqual({ messages });
  });

  test("renders cache writes and reasoning in the metadata event as Converse counts them", async () => {
    emulator.current.script(MODEL, { reply: { text: 'ok', usage: { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, cacheWriteInputTokens: 300, reasoningTokens: 50 } } });
    const { events, error } = await collect();
    expect(error).toBeUndefined();
    // inputTokens leaves both cache counts out; reasoning stays inside outputTokens.
    expect(events.at(-1)?.metadata?.usage).toEqual({ inputTokens: 200, outputTokens: 80, totalTokens: 1580, cacheReadInputTokens: 1000, cacheWriteInputTokens: 300 });
  });

  test('streams tool input as JSON fragments that join to the Converse input', async () => {
    const reply = { text: 'Checking.', toolCalls: [{ id: 'tooluse_abc', name: 'get_weather', arguments: { city: 'Zürich', unit: 'celsius' } }] };
    emulator.current.script(MODEL, { reply, chunkSize: 6 });
    const { events, error } = await collect(client, { toolConfig });
    const json = await client.send(new ConverseCommand({ modelId: MODEL, messages, toolConfig }));

    expect(error).toBeUndefined();
    const start = events.find((event) => event.contentBlockStart);
    expect(start).toEqual({ contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_abc', name: 'get_weather' } } } });
    const fragments = events.flatMap((event) => (event.contentBlockDelta?.contentBlockIndex === 1 ? [event.contentBlockDelta.delta?.toolUse?.input ?? ''] : []));
    expect(fragments.length).toBeGreaterThan(1);
    expect(fragments.join('')).toBe(JSON.stringify(reply.toolCalls[0]!.arguments));
    expect(JSON.parse(fragments.join(''))).toEqual(json.output?.message?.content?.[1]?.toolUse?.input);
    expect(events.filter((event) => event.contentBlockStop).map((event) => event.contentBlockStop?.contentBlockIndex)).toEqual([0, 1]);
    expect(events.at(-2)).toEqual({ messageStop: { stopReason: 'tool_use' } });
  });

  test('also streams over HTTP/1.1', async () => {
    const http1Client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: emulator.current.url,
      credentials: TEST_CREDENTIALS.aws,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
    try {
      emulator.current.script(MODEL, { reply: { text: 'chunked over http/1.1' } });
      const { text, error } = await collect(http1Client);
      expect(error).toBeUndefined();
      expect(text).toBe('chunked over http/1.1');
      expect(emulator.current.requests()[0]?.httpVersion).toBe('1.1');
    } finally {
      http1Client.destroy();
    }
  });

  test('the wire frames are event messages with JSON payloads padded by a `p` field', () => {
    const plan = converseStreamPlan({ reply: { text: 'Hi there' }, usage: USAGE, receivedAt: performance.now(), chunkSize: 4 });
    const decoded = decodeEventStream(Buffer.concat(plan.frames.map((frame) => Buffer.from(frame.data))));
    expect(decoded.map((message) => message.headers[':event-type'])).toEqual([
      'messageStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    for (const message of decoded) {
      expect(message.headers).toMatchObject({ ':message-type': 'event', ':content-type': 'application/json' });
    }
    expect(JSON.parse(decoded[1]!.payload.toString('utf8'))).toEqual({ contentBlockIndex: 0, delta: { text: 'Hi t' }, p: expect.any(String) });
    expect(plan.frames.filter((frame) => frame.content)).toHaveLength(2);
  });
});

describe('ConverseStream faults', () => {
  const inStream: Array<[string, new (...args: never[]) => Error]> = [
    ['throttlingException', ThrottlingException],
    ['modelStreamErrorException', ModelStreamErrorException],
    ['ServiceUnavailableException', ServiceUnavailableException],
    ['validationException', ValidationException],
    ['internalServerException', InternalServerException],
  ];

  test.each(inStream)('an in-stream %s surfaces as the SDK class while iterating', async (type, ErrorClass) => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'stream-error', afterParts: 2, type, message: `scripted ${type}` }], reply: { text: 'abcdefghijklmnopqrstuvwxyz' } });
    const { text, error } = await collect();
    expect(text).toBe('abcdefghijklmnop');
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as Error).message).toBe(`scripted ${type}`);
  });

  test('an in-stream error defaults to modelStreamErrorException', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'stream-error', afterParts: 0 }] });
    const { text, error } = await collect();
    expect(text).toBe('');
    expect(error).toBeInstanceOf(ModelStreamErrorException);
  });

  test('a frame with a bad CRC fails the iteration', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'malformed', afterParts: 1 }], reply: { text: '0123456789abcdef' } });
    const { text, error } = await collect();
    expect(text).toBe('01234567');
    expect(String(error)).toMatch(/checksum/);
  });

  test('a cut stream fails the iteration over HTTP/2', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'cut', afterParts: 1 }], reply: { text: '0123456789abcdef' } });
    const { text, error } = await collect();
    expect(text).toBe('01234567');
    expect(String(error)).toMatch(/NGHTTP2_INTERNAL_ERROR/);
  });

  test('a cut stream fails the iteration over HTTP/1.1', async () => {
    const http1Client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: emulator.current.url,
      credentials: TEST_CREDENTIALS.aws,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
    try {
      emulator.current.script(MODEL, { sequence: [{ kind: 'cut', afterParts: 1 }], reply: { text: '0123456789abcdef' } });
      const { text, error } = await collect(http1Client);
      expect(text).toBe('01234567');
      expect(String(error)).toMatch(/aborted/);
    } finally {
      http1Client.destroy();
    }
  });

  test('slow first token delays the first delta, not the response', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'slow-first-token', delayMs: 150 }], reply: { text: 'late' } });
    const { events, arrivals, text } = await collect();
    expect(text).toBe('late');
    const firstDelta = events.findIndex((event) => event.contentBlockDelta);
    expect(events[0]?.messageStart).toBeDefined();
    expect(arrivals[firstDelta]! - arrivals[0]!).toBeGreaterThanOrEqual(120);
  });

  test('drip spaces the deltas out', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'drip', intervalMs: 40 }], reply: { text: 'abcdefghijkl' }, chunkSize: 4 });
    const { events, arrivals, text } = await collect();
    expect(text).toBe('abcdefghijkl');
    const deltaArrivals = arrivals.filter((_, index) => events[index]?.contentBlockDelta);
    expect(deltaArrivals).toHaveLength(3);
    expect(deltaArrivals[2]! - deltaArrivals[0]!).toBeGreaterThanOrEqual(65);
  });

  test('a status fault on the stream endpoint is an error response, not a stream', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'status', status: 429, message: 'Too many tokens, please wait before trying again.' }] });
    const error = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    expect((error as ThrottlingException).message).toBe('Too many tokens, please wait before trying again.');
  });
});
