import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { collect, failure, useEmulator } from '../vitest.js';

const emulator = useEmulator();
let client: OpenAI;

beforeAll(() => {
  // logLevel off: the SDK logs the unparsable line of the malformed-stream test before throwing.
  client = new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: `${emulator.current.url}/v1`, maxRetries: 0, logLevel: 'off' });
});

async function streamEvents(model: string): Promise<OpenAI.Responses.ResponseStreamEvent[]> {
  return collect(await client.responses.create({ model, input: 'Say hello', stream: true }));
}

describe('responses, JSON', () => {
  it('answers with a completed response object and records the request', async () => {
    emulator.current.script('gpt-4.1', { reply: { text: 'Hello from Responses.', usage: { inputTokens: 20, outputTokens: 6, cachedInputTokens: 8 } } });
    const { data, request_id } = await client.responses
      .create({ model: 'gpt-4.1', input: 'Say hello', instructions: 'Be brief.' })
      .withResponse();

    expect(data).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-4.1', instructions: 'Be brief.', error: null });
    expect(data.id).toMatch(/^resp_/);
    expect(data.output_text).toBe('Hello from Responses.');
    expect(data.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(data.output[0]?.id).toMatch(/^msg_/);
    expect(data.usage).toEqual({
      input_tokens: 20,
      input_tokens_details: { cached_tokens: 8, cache_write_tokens: 0 },
      output_tokens: 6,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 26,
    });
    expect(request_id).toMatch(/^req_/);
    const [recorded] = emulator.current.requests({ vendor: 'openai' });
    expect(recorded).toMatchObject({ path: '/v1/responses', model: 'gpt-4.1', body: { model: 'gpt-4.1', input: 'Say hello' } });
    expect(recorded?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.openai}`);
  });

  it('returns function_call items with call_id, name and arguments', async () => {
    emulator.current.script('gpt-fc', { reply: { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } }] } });
    const response = await client.responses.create({ model: 'gpt-fc', input: 'weather?' });
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({ type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}', status: 'completed' });
    expect(response.output[0]?.id).toMatch(/^fc_/);
    expect(response.output_text).toBe('');
  });

  it('reports a length finish as incomplete with max_output_tokens', async () => {
    emulator.current.script('gpt-long', { reply: { text: 'It was a dark', finishReason: 'length' } });
    const response = await client.responses.create({ model: 'gpt-long', input: 'story', max_output_tokens: 16 });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.max_output_tokens).toBe(16);
  });

  it('rejects a request without a model', async () => {
    const error = await failure(client.responses.create({ input: 'hi' } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ param: 'model', code: 'missing_required_parameter' });
  });

  it('renders status faults with OpenAI error bodies', async () => {
    emulator.current.script('gpt-busy', { sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 3 }] });
    const error = (await failure(client.responses.create({ model: 'gpt-busy', input: 'hi' }))) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.headers.get('retry-after')).toBe('3');
  });
});

describe('responses, stream', () => {
  it('streams typed events with increasing sequence numbers and matching item ids', async () => {
    emulator.current.script('gpt-events', { reply: { text: 'Streaming works.' }, chunkSize: 6 });
    const events = await streamEvents('gpt-events');
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const added = events.find((event) => event.type === 'response.output_item.added');
    const deltas = events.filter((event) => event.type === 'response.output_text.delta');
    expect(deltas.every((delta) => delta.item_id === added?.item.id && delta.output_index === 0 && delta.content_index === 0)).toBe(true);
    expect(deltas.map((delta) => delta.delta).join('')).toBe('Streaming works.');
    const completed = events.at(-1);
    expect(completed?.type === 'response.completed' && completed.response.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('streams function call arguments and ends incomplete for a length finish', async () => {
    emulator.current.script('gpt-stream-fc', {
      sequence: [{ toolCalls: [{ id: 'call_9', name: 'search', arguments: { q: 'emulators' } }] }, { text: 'abc', finishReason: 'length' }],
      chunkSize: 5,
    });
    const calls = await streamEvents('gpt-stream-fc');
    const argumentDeltas = calls.filter((event) => event.type === 'response.function_call_arguments.delta');
    expect(argumentDeltas.map((event) => event.delta).join('')).toBe('{"q":"emulators"}');
    expect(calls.find((event) => event.type === 'response.function_call_arguments.done')).toMatchObject({ arguments: '{"q":"emulators"}', name: 'search' });

    const incomplete = await streamEvents('gpt-stream-fc');
    expect(incomplete.at(-1)).toMatchObject({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } });
  });

  it("accumulates with responses.stream() to the same output as the JSON answer", async () => {
    emulator.current.script('gpt-same', {
      reply: { text: 'Let me look.', toolCalls: [{ id: 'call_s', name: 'lookup', arguments: { id: 7 } }] },
      chunkSize: 4,
    });
    const json = await client.responses.create({ model: 'gpt-same', input: 'hi' });
    const deltas: string[] = [];
    const stream = client.responses.stream({ model: 'gpt-same', input: 'hi' });
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(json.output_text);
    expect(deltas.join('')).toBe('Let me look.');
    expect(final.output.map((item) => item.type)).toEqual(['message', 'function_call']);
    expect(final.output[1]).toMatchObject({ call_id: 'call_s', name: 'lookup', arguments: '{"id":7}' });
  });

  it('throws APIError for the in-band error event', async () => {
    emulator.current.script('gpt-fail', { sequence: [{ kind: 'stream-error', afterParts: 1, message: 'Upstream failed.' }], reply: { text: 'abcdefgh' }, chunkSize: 4 });
    const error = await failure(streamEvents('gpt-fail'));
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ message: 'Upstream failed.', type: 'server_error', status: undefined });
  });

  it('numbers the in-band error after the frames that went out', async () => {
    emulator.current.script('gpt-fail-helper', { sequence: [{ kind: 'stream-error', afterParts: 2 }], reply: { text: 'abcdefghijkl' }, chunkSize: 4 });
    const seen: number[] = [];
    const stream = client.responses.stream({ model: 'gpt-fail-helper', input: 'hi' });
    stream.on('event', (event) => seen.push(event.sequence_number));
    const error = await failure(stream.finalResponse());
    expect(error).toBeInstanceOf(OpenAI.APIError);
    // created, in_progress, item added, part added, two deltas: six frames, numbered 0 to 5.
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('surfaces a mid-stream cut as fetch\'s "terminated" and malformed data as SyntaxError', async () => {
    emulator.current.script('gpt-broken', { sequence: [{ kind: 'cut', afterParts: 1 }, { kind: 'malformed', afterParts: 1 }], chunkSize: 3 });
    await expect(streamEvents('gpt-broken')).rejects.toThrow(/^terminated$/);
    await expect(streamEvents('gpt-broken')).rejects.toBeInstanceOf(SyntaxError);
  });

  it('times out a hang under a short timeout', async () => {
    emulator.current.script('gpt-hang', { sequence: [{ kind: 'hang' }] });
    const error = await failure(client.responses.create({ model: 'gpt-hang', input: 'hi', stream: true }, { timeout: 100 }));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });
});

describe('responses, files', () => {
  const PDF = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
  const ask = (...parts: unknown[]) =>
    client.responses.create({
      model: 'gpt-files',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Read these.' }, ...parts] as OpenAI.Responses.ResponseInputMessageContentList }],
    });

  it('takes input_file as a data URL of a document type, by URL and by file id', async () => {
    const response = await ask(
      { type: 'input_file', filename: 'report.pdf', file_data: `data:application/pdf;base64,${PDF}` },
      { type: 'input_file', filename: 'notes.txt', file_data: 'data:text/plain;base64,aGk=' },
      { type: 'input_file', filename: 'sheet.csv', file_data: 'data:text/csv;base64,YSxi' },
      { type: 'input_file', file_url: 'https://example.com/letter.pdf' },
      { type: 'input_file', file_id: 'file-abc123' },
    );
    expect(response.status).toBe('completed');
    expect(JSON.stringify(emulator.current.requests()[0]?.body)).toContain(PDF);
  });

  it('refuses audio input: the Responses API takes none', async () => {
    const error = await failure(ask({ type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ param: 'input[0].content[1].type', code: 'invalid_value' });
    expect((error as Error).message).toContain("Supported values are: 'input_text', 'input_image', and 'input_file'.");
  });

  it('refuses an input_file without content, and file data of a type it does not take', async () => {
    const nothing = await failure(ask({ type: 'input_file', filename: 'a.pdf' }));
    expect(nothing).toMatchObject({ status: 400, param: 'input[0].content[1].file_data', code: 'missing_required_parameter' });
    const image = await failure(ask({ type: 'input_file', filename: 'a.tiff', file_data: 'data:image/tiff;base64,SUkq' }));
    expect(image).toMatchObject({ status: 400, param: 'input[0].content[1].file_data', code: 'invalid_value' });
    expect((image as Error).message).toContain("unsupported MIME type 'image/tiff'");
  });
});

describe('responses, usage', () => {
  it('reports cache reads and writes inside input_tokens and reasoning inside output_tokens, in JSON and streams', async () => {
    const usage = { inputTokens: 200, outputTokens: 80, cachedInputTokens: 120, cacheWriteInputTokens: 50, reasoningTokens: 64 };
    emulator.current.script('gpt-think', { reply: { text: 'Thought.', usage } });
    const expected = {
      input_tokens: 200,
      input_tokens_details: { cached_tokens: 120, cache_write_tokens: 50 },
      output_tokens: 80,
      output_tokens_details: { reasoning_tokens: 64 },
      total_tokens: 280,
    };
    expect((await client.responses.create({ model: 'gpt-think', input: 'hi' })).usage).toEqual(expected);
    const events = await streamEvents('gpt-think');
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { usage: expected } });
  });
});

describe('models', () => {
  it('lists models as a list object', async () => {
    const page = await client.models.list();
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: 'system' });
    expect(emulator.current.requests()[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
  });
});
