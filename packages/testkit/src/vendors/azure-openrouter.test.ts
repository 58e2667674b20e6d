import OpenAI, { AzureOpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { failure, useEmulator } from '../vitest.js';

const emulator = useEmulator();

const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Say hello' }];
const API_VERSION = '2024-10-21';

function azure(options: { apiKey?: string; azureADTokenProvider?: () => Promise<string> } = { apiKey: TEST_CREDENTIALS.azure }) {
  return new AzureOpenAI({ endpoint: emulator.current.url, deployment: 'prod-gpt4o', apiVersion: API_VERSION, maxRetries: 0, ...options });
}

describe('Azure OpenAI, deployment routes', () => {
  it('serves the deployment with the api-key header, api-version and the deployment as model', async () => {
    emulator.current.script('prod-gpt4o', { reply: { text: 'Hello from Azure.' } });
    const { data, response } = await azure().chat.completions.create({ model: 'gpt-4o', messages }).withResponse();

    expect(data.choices[0]?.message.content).toBe('Hello from Azure.');
    expect(data.model).toBe('prod-gpt4o');
    expect(response.headers.get('apim-request-id')).toBeTruthy();
    const [recorded] = emulator.current.requests({ vendor: 'azure' });
    expect(recorded).toMatchObject({ path: '/openai/deployments/prod-gpt4o/chat/completions', query: { 'api-version': API_VERSION }, model: 'prod-gpt4o' });
    expect(recorded?.headers['api-key']).toBe(TEST_CREDENTIALS.azure);
    expect(recorded?.headers.authorization).toBeUndefined();
  });

  it('streams with the leading prompt-filter chunk the SDK helper tolerates', async () => {
    emulator.current.script('prod-gpt4o', { reply: { text: 'Filtered but fine.' }, chunkSize: 4 });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of await azure().chat.completions.create({ model: 'gpt-4o', messages, stream: true })) chunks.push(chunk);
    expect(chunks[0]?.choices).toEqual([]);
    expect(chunks[0]).toHaveProperty('prompt_filter_results');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Filtered but fine.');

    const final = await azure().chat.completions.stream({ model: 'gpt-4o', messages }).finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Filtered but fine.');
  });

  it('accepts a Microsoft Entra bearer token and records it', async () => {
    const client = azure({ azureADTokenProvider: async () => 'entra-token-abc' });
    await client.chat.completions.create({ model: 'gpt-4o', messages });
    const [recorded] = emulator.current.requests({ vendor: 'azure' });
    expect(recorded?.headers.authorization).toBe('Bearer entra-token-abc');
    expect(recorded?.headers['api-key']).toBeUndefined();
  });

  it("answers a wrong key with Azure's 401 body", async () => {
    const error = await failure(azure({ apiKey: 'wrong' }).chat.completions.create({ model: 'gpt-4o', messages }));
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).error).toEqual({
      code: '401',
      message: expect.stringMatching(/^Access denied due to invalid subscription key or wrong API endpoint/),
    });
  });

  it('answers a missing api-version with 404 Resource not found', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${emulator.current.url}/openai/deployments/prod-gpt4o`, defaultHeaders: { 'api-key': TEST_CREDENTIALS.azure }, maxRetries: 0 });
    const error = await failure(client.chat.completions.create({ model: 'gpt-4o', messages }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).error).toEqual({ code: '404', message: 'Resource not found' });
  });

  it('renders a 429 as Azure does, with retry-after and retry-after-ms', async () => {
    emulator.current.script('prod-gpt4o', { sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 6, retryAfterMs: 6000 }] });
    const error = (await failure(azure().chat.completions.create({ model: 'gpt-4o', messages }))) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('429');
    expect(error.message).toMatch(/Please retry after 6 seconds/);
    expect(error.headers.get('retry-after')).toBe('6');
    expect(error.headers.get('retry-after-ms')).toBe('6000');
  });
});

describe('Azure OpenAI, v1 routes', () => {
  it('serves /openai/v1/chat/completions with the model from the body', async () => {
    emulator.current.script('gpt-4o-mini', { reply: { text: 'v1 works' } });
    const client = new OpenAI({ apiKey: TEST_CREDENTIALS.azure, baseURL: `${emulator.current.url}/openai/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.choices[0]?.message.content).toBe('v1 works');
    expect(emulator.current.requests({ vendor: 'azure' })[0]).toMatchObject({ path: '/openai/v1/chat/completions', model: 'gpt-4o-mini' });
  });

  it('serves the Responses API with AzureOpenAI (api-version form)', async () => {
    emulator.current.script('gpt-4.1', { reply: { text: 'Azure responses' } });
    const response = await azure().responses.create({ model: 'gpt-4.1', input: 'hi' });
    expect(response.output_text).toBe('Azure responses');
    expect(emulator.current.requests({ vendor: 'azure' })[0]).toMatchObject({ path: '/openai/responses', query: { 'api-version': API_VERSION } });
  });
});

describe('OpenRouter', () => {
  function openrouter(apiKey: string = TEST_CREDENTIALS.openrouter) {
    return new OpenAI({
      apiKey,
      baseURL: `${emulator.current.url}/api/v1`,
      maxRetries: 0,
      defaultHeaders: { 'HTTP-Referer': 'https://reg.example', 'X-Title': 'reg tests' },
    });
  }

  it('serves vendor-prefixed models and records the attribution headers', async () => {
    emulator.current.script('openai/gpt-4o-mini', { reply: { text: 'Routed.' } });
    const { data, response } = await openrouter().chat.completions.create({ model: 'openai/gpt-4o-mini', messages }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Routed.');
    expect(data.id).toMatch(/^gen-/);
    expect(response.headers.get('x-generation-id')).toBe(data.id);
    const [recorded] = emulator.current.requests({ vendor: 'openrouter' });
    expect(recorded).toMatchObject({ path: '/api/v1/chat/completions', model: 'openai/gpt-4o-mini' });
    expect(recorded?.headers['http-referer']).toBe('https://reg.example');
    expect(recorded?.headers['x-title']).toBe('reg tests');
    expect(recorded?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.openrouter}`);
  });

  it('streams past its keep-alive comment and ends with a usage chunk', async () => {
    emulator.current.script('openai/gpt-4o-mini', { reply: { text: 'Streamed via router.' }, chunkSize: 5 });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of await openrouter().chat.completions.create({ model: 'openai/gpt-4o-mini', messages, stream: true })) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Streamed via router.');
    expect(chunks.at(-1)?.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('throws APIError for its in-band error chunk', async () => {
    emulator.current.script('openai/gpt-4o-mini', { sequence: [{ kind: 'stream-error', afterParts: 1, message: 'Provider disconnected' }], chunkSize: 3 });
    const error = await failure(
      (async () => {
        for await (const chunk of await openrouter().chat.completions.create({ model: 'openai/gpt-4o-mini', messages, stream: true })) void chunk;
      })(),
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ message: 'Provider disconnected', code: 'server_error' });
  });

  it('answers errors with its numeric-code body', async () => {
    const unauthorized = (await failure(openrouter('sk-or-bad').chat.completions.create({ model: 'openai/gpt-4o-mini', messages }))) as InstanceType<
      typeof OpenAI.AuthenticationError
    >;
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unauthorized.error).toEqual({ code: 401, message: 'User not found.' });

    emulator.current.script('openai/gpt-4o-mini', { sequence: [{ kind: 'status', status: 402, message: 'Insufficient credits' }] });
    const payment = (await failure(openrouter().chat.completions.create({ model: 'openai/gpt-4o-mini', messages }))) as InstanceType<typeof OpenAI.APIError>;
    expect(payment.status).toBe(402);
    expect(payment.error).toEqual({ code: 402, message: 'Insufficient credits' });
  });

  it('takes PDFs by URL and audio in the formats its models take; reports cache writes in every usage', async () => {
    emulator.current.script('google/gemini-2.5-flash', { reply: { text: 'Read.', usage: { inputTokens: 30, outputTokens: 2, cacheWriteInputTokens: 12 } } });
    const completion = await openrouter().chat.completions.create({
      model: 'google/gemini-2.5-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', file: { filename: 'paper.pdf', file_data: 'https://arxiv.org/pdf/1706.03762' } },
            { type: 'input_audio', input_audio: { data: 'ZkxhQw==', format: 'flac' as 'wav' } },
          ],
        },
      ],
    });
    expect(completion.usage).toMatchObject({ prompt_tokens: 30, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 12 } });
    const plain = await openrouter().chat.completions.create({ model: 'openai/gpt-4o-mini', messages });
    expect(plain.usage?.prompt_tokens_details).toMatchObject({ cache_write_tokens: 0 });
  });

  it('refuses audio in a format no model takes with its own 400 body', async () => {
    const error = (await failure(
      openrouter().chat.completions.create({
        model: 'openai/gpt-4o-audio-preview',
        messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'webm' as 'wav' } }] }],
      }),
    )) as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.error).toMatchObject({ code: 400, message: expect.stringContaining("Invalid value: 'webm'") });
  });

  it('lists models with vendor-prefixed ids', async () => {
    const page = await openrouter().models.list();
    expect(page.data.map((model) => model.id)).toContain('openai/gpt-4o-mini');
  });
});
