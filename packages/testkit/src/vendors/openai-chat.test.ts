import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { collect, failure, useEmulator } from '../vitest.js';

const emulator = useEmulator();
let client: OpenAI;

beforeAll(() => {
  client = new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: `${emulator.current.url}/v1`, maxRetries: 0 });
});

const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Say hello' }];

function streamedText(chunks: OpenAI.ChatCompletionChunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
}

describe('chat completions, JSON', () => {
  it('answers with a chat.completion object and records the request', async () => {
    emulator.current.script('gpt-4o-mini', { reply: { text: 'Hello there, friend.', usage: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 4 } } });
    const { data, response, request_id } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages, temperature: 0.2 })
      .withResponse();

    expect(data.object).toBe('chat.completion');
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.model).toBe('gpt-4o-mini');
    expect(data.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Hello there, friend.', refusal: null });
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({
      prompt_tokens: 12,
      completion_tokens: 5,
      total_tokens: 17,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(request_id).toMatch(/^req_/);
    expect(Number(response.headers.get('openai-processing-ms'))).toBeGreaterThan(0);

    const [recorded] = emulator.current.requests({ vendor: 'openai' });
    expect(recorded).toMatchObject({ method: 'POST', path: '/v1/chat/completions', model: 'gpt-4o-mini' });
    expect(recorded?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.openai}`);
    expect(recorded?.body).toEqual({ model: 'gpt-4o-mini', messages, temperature: 0.2 });
  });

  it('estimates usage and echoes the last user text when nothing is scripted', async () => {
    const completion = await client.chat.completions.create({ model: 'unscripted', messages });
    expect(completion.choices[0]?.message.content).toBe('echo: Say hello');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBe(Math.ceil('echo: Say hello'.length / 4));
  });

  it('returns tool calls with content null and finish_reason tool_calls', async () => {
    emulator.current.script('gpt-tools', {
      reply: { toolCalls: [{ id: 'call_weather', name: 'get_weather', arguments: { city: 'Paris' } }] },
    });
    const completion = await client.chat.completions.create({
      model: 'gpt-tools',
      messages,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }],
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
  });

  it('maps length and content-filter finish reasons', async () => {
    emulator.current.script('gpt-finish', {
      sequence: [{ text: 'cut sho', finishReason: 'length' }, { text: '', finishReason: 'content-filter' }],
    });
    const first = await client.chat.completions.create({ model: 'gpt-finish', messages });
    const second = await client.chat.completions.create({ model: 'gpt-finish', messages });
    expect(first.choices[0]?.finish_reason).toBe('length');
    expect(second.choices[0]?.finish_reason).toBe('content_filter');
  });

  it('returns JSON-mode text as scripted and records the response_format', async () => {
    emulator.current.script('gpt-json', { reply: { text: '{"answer":42}' } });
    const completion = await client.chat.completions.create({
      model: 'gpt-json',
      messages,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { answer: { type: 'number' } } } } },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ answer: 42 });
    expect(emulator.current.requests()[0]?.body).toMatchObject({ response_format: { type: 'json_schema' } });
  });

  it('rejects a request without messages with a 400 naming the parameter', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-mini' } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'messages', code: 'missing_required_parameter', type: 'invalid_request_error' });
    expect(emulator.current.requests()[0]?.model).toBe('gpt-4o-mini');
  });

  it('rejects a request without a model', async () => {
    const error = await client.chat.completions
      .create({ messages } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ param: 'model' });
  });
});

describe('chat completions, stream', () => {
  it('streams a role chunk, content deltas, the finish chunk, then [DONE]', async () => {
    emulator.current.script('gpt-stream', { reply: { text: 'The quick brown fox jumps.' }, chunkSize: 5 });
    const json = await client.chat.completions.create({ model: 'gpt-stream', messages });
    const chunks = await collect(await client.chat.completions.create({ model: 'gpt-stream', messages, stream: true }));

    expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: 'assistant', content: '' });
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.id === chunks[0]?.id)).toBe(true);
    expect(chunks.slice(1, -1).map((chunk) => chunk.choices[0]?.delta.content)).toEqual(['The q', 'uick ', 'brown', ' fox ', 'jumps', '.']);
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(streamedText(chunks)).toBe(json.choices[0]?.message.content);
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
  });

  it('adds a final usage chunk with empty choices only when include_usage is set', async () => {
    emulator.current.script('gpt-usage', { reply: { text: 'Counted.', usage: { inputTokens: 9, outputTokens: 2 } } });
    const chunks = await collect(
      await client.chat.completions.create({ model: 'gpt-usage', messages, stream: true, stream_options: { include_usage: true } }),
    );
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('streams tool calls: the first delta names the call, later ones carry argument fragments', async () => {
    emulator.current.script('gpt-stream-tools', {
      reply: {
        toolCalls: [
          { id: 'call_a', name: 'lookup', arguments: { query: 'weather in Paris' } },
          { id: 'call_b', name: 'clock', arguments: '{}' },
        ],
      },
      chunkSize: 6,
    });
    const chunks = await collect(await client.chat.completions.create({ model: 'gpt-stream-tools', messages, stream: true }));
    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: 'assistant', content: null });
    expect(deltas[0]).toEqual({ index: 0, id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '' } });
    expect(deltas[1]).toEqual({ index: 0, function: { arguments: '{"quer' } });
    const firstArguments = deltas.filter((delta) => delta.index === 0).map((delta) => delta.function?.arguments).join('');
    expect(firstArguments).toBe('{"query":"weather in Paris"}');
    expect(deltas.find((delta) => delta.index === 1)).toMatchObject({ id: 'call_b', function: { name: 'clock', arguments: '' } });
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it("accumulates with the SDK's stream helper to the same message as JSON", async () => {
    emulator.current.script('gpt-helper', {
      reply: { text: 'Checking.', toolCalls: [{ id: 'call_x', name: 'search', arguments: { q: 'reg' } }] },
      chunkSize: 3,
    });
    const json = await client.chat.completions.create({ model: 'gpt-helper', messages });
    const runner = client.chat.completions.stream({ model: 'gpt-helper', messages });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(json.choices[0]?.message.content);
    expect(final.choices[0]?.message.tool_calls).toEqual(json.choices[0]?.message.tool_calls);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });
});

describe('chat completions, files', () => {
  const PDF = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
  const WAV = Buffer.from('RIFF\0\0\0\0WAVEfmt ').toString('base64');
  const ask = (...parts: OpenAI.ChatCompletionContentPart[]) =>
    client.chat.completions.create({ model: 'gpt-files', messages: [{ role: 'user', content: [{ type: 'text', text: 'Read these.' }, ...parts] }] });

  it('takes a PDF as a file part (data URL or file id) and WAV or MP3 as input_audio', async () => {
    const completion = await ask(
      { type: 'file', file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${PDF}` } },
      { type: 'file', file: { file_id: 'file-abc123' } },
      { type: 'input_audio', input_audio: { data: WAV, format: 'wav' } },
      { type: 'input_audio', input_audio: { data: WAV, format: 'mp3' } },
    );
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(JSON.stringify(emulator.current.requests()[0]?.body)).toContain(PDF);
  });

  it('refuses, with the 400 naming the parameter, a part type it does not know', async () => {
    const error = await failure(ask({ type: 'input_text', text: 'Responses-style' } as unknown as OpenAI.ChatCompletionContentPart));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ param: 'messages[0].content[1].type', code: 'invalid_value', type: 'invalid_request_error' });
    expect((error as Error).message).toContain("Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'.");
  });

  it('refuses audio in a format other than wav and mp3, and audio without data', async () => {
    const format = await failure(ask({ type: 'input_audio', input_audio: { data: WAV, format: 'ogg' as 'wav' } }));
    expect(format).toMatchObject({ status: 400, param: 'messages[0].content[1].input_audio.format', code: 'invalid_value' });
    const data = await failure(ask({ type: 'input_audio', input_audio: { format: 'wav' } as OpenAI.ChatCompletionContentPartInputAudio.InputAudio }));
    expect(data).toMatchObject({ status: 400, param: 'messages[0].content[1].input_audio.data', code: 'missing_required_parameter' });
  });

  it('refuses file data that is not a PDF data URL: another type, a URL, nothing', async () => {
    const text = await failure(ask({ type: 'file', file: { filename: 'a.txt', file_data: 'data:text/plain;base64,aGk=' } }));
    expect(text).toMatchObject({ status: 400, param: 'messages[0].content[1].file.file_data', code: 'invalid_value' });
    expect((text as Error).message).toContain("but got unsupported MIME type 'text/plain'");
    const url = await failure(ask({ type: 'file', file: { filename: 'a.pdf', file_data: 'https://example.com/a.pdf' } }));
    expect(url).toMatchObject({ status: 400, param: 'messages[0].content[1].file.file_data' });
    const nothing = await failure(ask({ type: 'file', file: { filename: 'a.pdf' } }));
    expect(nothing).toMatchObject({ status: 400, param: 'messages[0].content[1].file.file_data', code: 'missing_required_parameter' });
  });

  it('refuses more than 32 MB of file content in one request', async () => {
    const big = 'A'.repeat(Math.ceil(((32 * 1024 * 1024 + 3) * 4) / 3));
    const error = await failure(ask({ type: 'file', file: { filename: 'big.pdf', file_data: `data:application/pdf;base64,${big}` } }));
    expect(error).toMatchObject({ status: 400, param: 'messages[0].content[1].file.file_data', code: 'file_too_large' });
  });
});

describe('chat completions, usage', () => {
  it('reports cache reads and writes inside prompt_tokens and reasoning inside completion_tokens, in JSON and streams', async () => {
    const usage = { inputTokens: 100, outputTokens: 50, cachedInputTokens: 40, cacheWriteInputTokens: 10, reasoningTokens: 30 };
    emulator.current.script('gpt-reasoning', { reply: { text: 'Thought it through.', usage } });
    const expected = {
      prompt_tokens: 100,
      completion_tokens: 50,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 40, cache_write_tokens: 10 },
      completion_tokens_details: { reasoning_tokens: 30 },
    };
    const completion = await client.chat.completions.create({ model: 'gpt-reasoning', messages });
    expect(completion.usage).toMatchObject(expected);
    const chunks = await collect(await client.chat.completions.create({ model: 'gpt-reasoning', messages, stream: true, stream_options: { include_usage: true } }));
    expect(chunks.at(-1)?.usage).toMatchObject(expected);
  });

  it('leaves cache_write_tokens out when nothing was written, as OpenAI does', async () => {
    emulator.current.script('gpt-no-writes', { reply: { text: 'ok', usage: { inputTokens: 10, outputTokens: 1 } } });
    const completion = await client.chat.completions.create({ model: 'gpt-no-writes', messages });
    expect(completion.usage?.prompt_tokens_details).toEqual({ cached_tokens: 0, audio_tokens: 0 });
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(0);
  });
});
