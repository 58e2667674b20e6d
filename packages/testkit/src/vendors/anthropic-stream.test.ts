import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { useEmulator } from '../vitest.js';

const emulator = useEmulator();
let client: Anthropic;

beforeAll(() => {
  client = new Anthropic({ apiKey: TEST_CREDENTIALS.anthropic, baseURL: emulator.current.url, maxRetries: 0 });
});

const weatherTool = {
  name: 'get_weather',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
};
const params = (model: string) => ({ model, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Tell me' }] });

describe('anthropic messages (stream)', () => {
  it('streams the events in the API order, with the same text as the JSON answer', async () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    emulator.current.script('claude-stream', { reply: { text, usage: { inputTokens: 11, outputTokens: 9 } }, chunkSize: 5 });
    const stream = await client.messages.create({ ...params('claude-stream'), stream: true });
    const events: Anthropic.RawMessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);

    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    const start = events[0] as Anthropic.RawMessageStartEvent;
    expect(start.message).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-stream', content: [], stop_reason: null });
    expect(start.message.id).toMatch(/^msg_/);
    expect(start.message.usage.input_tokens).toBe(11);
    const deltas = events.filter((event) => event.type === 'content_block_delta');
    expect(deltas).toHaveLength(Math.ceil(text.length / 5));
    const streamed = deltas.map((event) => (event.delta.type === 'text_delta' ? event.delta.text : '')).join('');
    const delta = events.at(-2) as Anthropic.RawMessageDeltaEvent;
    expect(delta.delta.stop_reason).toBe('end_turn');
    expect(delta.usage.output_tokens).toBe(9);

    const json = await client.messages.create(params('claude-stream'));
    expect(streamed).toBe(text);
    expect(json.content[0]).toMatchObject({ type: 'text', text: streamed });

    const [request] = emulator.current.requests({ model: 'claude-stream' });
    expect(request?.body).toMatchObject({ stream: true, model: 'claude-stream', max_tokens: 64 });
  });

  it('sends ping events on the wire, which the SDK skips', async () => {
    emulator.current.script('claude-ping', { reply: { text: 'hi' } });
    const response = await client.messages.create({ ...params('claude-ping'), stream: true }).asResponse();
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    const wire = await response.text();
    expect(wire).toContain('event: ping\ndata: {"type":"ping"}\n\n');
    expect(wire.indexOf('event: ping')).toBeLessThan(wire.indexOf('event: content_block_delta'));
    expect(wire.startsWith('event: message_start\ndata: {')).toBe(true);
    expect(wire.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  });

  it('accumulates a final message with messages.stream()', async () => {
    emulator.current.script('claude-final', { reply: { text: 'Accumulated answer text.', usage: { inputTokens: 30, cachedInputTokens: 20, outputTokens: 4 } } });
    const stream = client.messages.stream(params('claude-final'));
    const chunks: string[] = [];
    stream.on('text', (text) => chunks.push(text));
    const message = await stream.finalMessage();
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe('Accumulated answer text.');
    expect(message.content).toEqual([{ type: 'text', text: 'Accumulated answer text.', citations: null }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 20, output_tokens: 4 });
    expect(await stream.finalText()).toBe('Accumulated answer text.');
  });

  it('counts the input in message_start and the cumulative usage, thinking tokens included, in message_delta', async () => {
    const usage = { inputTokens: 1500, outputTokens: 40, cachedInputTokens: 1000, cacheWriteInputTokens: 300, reasoningTokens: 25 };
    emulator.current.script('claude-stream-usage', { reply: { text: 'Thought it through.', usage } });
    const events: Anthropic.RawMessageStreamEvent[] = [];
    for await (const event of await client.messages.create({ ...params('claude-stream-usage'), stream: true })) events.push(event);
    const start = events[0] as Anthropic.RawMessageStartEvent;
    expect(start.message.usage).toMatchObject({ input_tokens: 200, cache_read_input_tokens: 1000, cache_creation_input_tokens: 300, output_tokens: 1, output_tokens_details: null });
    const delta = events.at(-2) as Anthropic.RawMessageDeltaEvent;
    expect(delta.usage).toEqual({
      input_tokens: 200,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 300,
      output_tokens: 40,
      output_tokens_details: { thinking_tokens: 25 },
      server_tool_use: null,
    });
  });

  it('streams tool input as input_json_delta fragments that assemble to the scripted arguments', async () => {
    const args = { city: 'Paris', units: 'celsius', days: [1, 2, 3] };
    emulator.current.script('claude-tool-stream', {
      reply: { text: 'Let me check.', toolCalls: [{ id: 'toolu_a', name: 'get_weather', arguments: args }] },
      chunkSize: 6,
    });
    const stream = await client.messages.create({ ...params('claude-tool-stream'), tools: [weatherTool], stream: true });
    let partialJson = '';
    let fragments = 0;
    let toolStart: Anthropic.RawContentBlockStartEvent | undefined;
    let stopReason: string | null | undefined;
    for await (const event of stream) {
      if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') toolStart = event;
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
        expect(event.index).toBe(1);
        partialJson += event.delta.partial_json;
        fragments++;
      }
      if (event.type === 'message_delta') stopReason = event.delta.stop_reason;
    }
    expect(toolStart).toMatchObject({ index: 1, content_block: { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} } });
    expect(fragments).toBeGreaterThan(2);
    expect(JSON.parse(partialJson)).toEqual(args);
    expect(stopReason).toBe('tool_use');

    const final = await client.messages.stream({ ...params('claude-tool-stream'), tools: [weatherTool] }).finalMessage();
    expect(final.content[1]).toMatchObject({ type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: args });
    expect(final.stop_reason).toBe('tool_use');
  });

  it('streams a tool-only reply with exact scripted JSON text', async () => {
    emulator.current.script('claude-tool-only', { reply: { toolCalls: [{ name: 'get_weather', arguments: '{"city": "Oslo"}' }] } });
    const message = await client.messages.stream({ ...params('claude-tool-only'), tools: [weatherTool] }).finalMessage();
    expect(message.content).toHaveLength(1);
    expect(message.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Oslo' } });
  });

  it('delays the first content part on slow-first-token', async () => {
    emulator.current.script('claude-slow', { sequence: [{ kind: 'slow-first-token', delayMs: 200 }], reply: { text: 'slow reply' } });
    const started = performance.now();
    const stream = await client.messages.create({ ...params('claude-slow'), stream: true });
    const headersAfter = performance.now() - started;
    let firstDeltaAfter = 0;
    let text = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        firstDeltaAfter ||= performance.now() - started;
        text += event.delta.text;
      }
    }
    // Headers (and message_start) go out at once; only the first content part waits.
    expect(headersAfter).toBeLessThan(150);
    expect(firstDeltaAfter).toBeGreaterThanOrEqual(190);
    expect(text).toBe('slow reply');
  });
});

describe('anthropic stream faults', () => {
  it('surfaces an in-band error event as the SDK APIError with its type', async () => {
    emulator.current.script('claude-inband', {
      sequence: [{ kind: 'stream-error', afterParts: 1, type: 'overloaded_error', message: 'Overloaded' }],
      reply: { text: 'a long enough reply to span parts' },
    });
    const stream = await client.messages.create({ ...params('claude-inband'), stream: true });
    let text = '';
    const error = await (async () => {
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      }
    })().catch((caught: unknown) => caught);
    expect(text).toBe('a long e');
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as APIError;
    expect(apiError.status).toBeUndefined();
    expect(apiError.type).toBe('overloaded_error');
    expect(apiError.apiMessage).toBe('Overloaded');
    expect(apiError.error).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(apiError.requestID).toMatch(/^req_/);
  });

  it('rejects finalMessage() with the in-band error', async () => {
    emulator.current.script('claude-inband', { sequence: [{ kind: 'stream-error', afterParts: 0, type: 'api_error' }] });
    const error = await client.messages.stream(params('claude-inband')).finalMessage().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as APIError).type).toBe('api_error');
  });

  it('fails on a malformed event whose data is not JSON', async () => {
    emulator.current.script('claude-malformed', { sequence: [{ kind: 'malformed', afterParts: 1 }], reply: { text: 'sixteen chars!!!' } });
    // The SDK logs the unparsable event before throwing; keep that out of the test output.
    const quietClient = new Anthropic({ apiKey: TEST_CREDENTIALS.anthropic, baseURL: emulator.current.url, maxRetries: 0, logLevel: 'off' });
    const stream = await quietClient.messages.create({ ...params('claude-malformed'), stream: true });
    let deltas = 0;
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'content_block_delta') deltas++;
    })().catch((caught: unknown) => caught);
    expect(deltas).toBe(1);
    expect(error).toBeInstanceOf(SyntaxError);
  });

  it('fails when the stream is cut mid-way', async () => {
    emulator.current.script('claude-cut', { sequence: [{ kind: 'cut', afterParts: 2 }], reply: { text: 'a reply cut after two parts' } });
    const stream = await client.messages.create({ ...params('claude-cut'), stream: true });
    let text = '';
    const error = await (async () => {
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      }
    })().catch((caught: unknown) => caught);
    expect(text).toBe('a reply cut afte');
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('terminated');
  });

  it('rejects finalMessage() when the stream is cut', async () => {
    emulator.current.script('claude-cut', { sequence: [{ kind: 'cut', afterParts: 1 }], reply: { text: 'a reply cut after one part' } });
    const error = await client.messages.stream(params('claude-cut')).finalMessage().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.AnthropicError);
    expect((error as Error).message).toBe('terminated');
  });

  it('paces content parts on drip', async () => {
    emulator.current.script('claude-drip', { sequence: [{ kind: 'drip', intervalMs: 30 }], reply: { text: 'drip drip drip' }, chunkSize: 5 });
    const started = performance.now();
    const message = await client.messages.stream(params('claude-drip')).finalMessage();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'drip drip drip' });
  });
});
