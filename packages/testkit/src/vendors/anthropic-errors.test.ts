import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { failure, useEmulator } from '../vitest.js';
import type { Fault } from '../emulator/types.js';

const emulator = useEmulator();
let client: Anthropic;

beforeAll(() => {
  client = new Anthropic({ apiKey: TEST_CREDENTIALS.anthropic, baseURL: emulator.current.url, maxRetries: 0, logLevel: 'off' });
});

const params = (model: string) => ({ model, max_tokens: 32, messages: [{ role: 'user' as const, content: 'hi' }] });

async function apiError(promise: Promise<unknown>): Promise<APIError> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(Anthropic.APIError);
  return error as APIError;
}

function scriptFault(model: string, fault: Fault) {
  emulator.current.script(model, { sequence: [fault] });
}

describe('anthropic status faults', () => {
  it('renders 429 as RateLimitError with retry and rate-limit headers', async () => {
    scriptFault('claude-limited', { kind: 'status', status: 429, retryAfterSeconds: 3, retryAfterMs: 2500, shouldRetry: true });
    const error = await apiError(client.messages.create(params('claude-limited')));
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.type).toBe('rate_limit_error');
    expect(error.headers?.get('retry-after')).toBe('3');
    expect(error.headers?.get('retry-after-ms')).toBe('2500');
    expect(error.headers?.get('x-should-retry')).toBe('true');
    expect(error.headers?.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(error.headers?.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(error.requestID).toMatch(/^req_/);
    expect(error.error).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: expect.any(String) },
      request_id: error.requestID,
    });
  });

  it.each([
    { status: 400, errorClass: Anthropic.BadRequestError, type: 'invalid_request_error' },
    { status: 401, errorClass: Anthropic.AuthenticationError, type: 'authentication_error' },
    { status: 403, errorClass: Anthropic.PermissionDeniedError, type: 'permission_error' },
    { status: 404, errorClass: Anthropic.NotFoundError, type: 'not_found_error' },
    { status: 413, errorClass: Anthropic.ContentTooLargeError, type: 'request_too_large' },
    { status: 500, errorClass: Anthropic.InternalServerError, type: 'api_error' },
    { status: 529, errorClass: Anthropic.OverloadedError, type: 'overloaded_error' },
  ])('renders $status as $errorClass.name with type $type', async ({ status, errorClass, type }) => {
    scriptFault('claude-status', { kind: 'status', status });
    const error = await apiError(client.messages.create(params('claude-status')));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.headers?.get('request-id')).toBe(error.requestID);
    expect(error.headers?.get('retry-after')).toBeNull();
  });

  it('makes 529 an InternalServerError too, and honours scripted type, message and headers', async () => {
    scriptFault('claude-overloaded', { kind: 'status', status: 529, message: 'Busy right now', shouldRetry: false, headers: { 'x-extra': 'yes' } });
    const error = await apiError(client.messages.create(params('claude-overloaded')));
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    // The SDK's message is the status and the whole JSON body.
    expect(error.message).toBe(`529 ${JSON.stringify(error.error)}`);
    expect(error.apiMessage).toBe('Busy right now');
    expect(error.headers?.get('x-should-retry')).toBe('false');
    expect(error.headers?.get('x-extra')).toBe('yes');

    scriptFault('claude-typed', { kind: 'status', status: 400, type: 'billing_error', message: 'No credit' });
    const typed = await apiError(client.messages.create(params('claude-typed')));
    expect(typed.type).toBe('billing_error');
  });

  it('answers a status fault on a streamed request before any event', async () => {
    const fault: Fault = { kind: 'status', status: 429, retryAfterSeconds: 1 };
    emulator.current.script('claude-stream-429', { sequence: [fault, fault] });
    const error = await apiError(client.messages.create({ ...params('claude-stream-429'), stream: true }));
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.headers?.get('content-type')).toBe('application/json');
    const helperError = await apiError(client.messages.stream(params('claude-stream-429')).finalMessage());
    expect(helperError).toBeInstanceOf(Anthropic.RateLimitError);
    expect(helperError.headers?.get('retry-after')).toBe('1');
  });
});

describe('anthropic authentication and validation', () => {
  it('rejects a wrong key with 401 authentication_error', async () => {
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: emulator.current.url, maxRetries: 0, logLevel: 'off' });
    const error = await apiError(wrong.messages.create(params('claude-auth')));
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.error).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'Invalid bearer token' },
      request_id: error.requestID,
    });
    expect(emulator.current.requests()[0]?.model).toBeUndefined();
  });

  it('rejects a wrong x-api-key and a missing one', async () => {
    const wrongKey = new Anthropic({ apiKey: null, defaultHeaders: { 'X-Api-Key': 'nope' }, baseURL: emulator.current.url, maxRetries: 0, logLevel: 'off' });
    const wrong = await apiError(wrongKey.messages.create(params('claude-auth')));
    expect(wrong).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(wrong.apiMessage).toBe('invalid x-api-key');

    const noKey = new Anthropic({ apiKey: null, defaultHeaders: { Authorization: null }, baseURL: emulator.current.url, maxRetries: 0, logLevel: 'off' });
    const missing = await apiError(noKey.messages.create(params('claude-auth')));
    expect(missing).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(missing.apiMessage).toBe('x-api-key header is required');
  });

  it('requires the anthropic-version header', async () => {
    const unversioned = new Anthropic({
      apiKey: TEST_CREDENTIALS.anthropic,
      defaultHeaders: { 'anthropic-version': null },
      baseURL: emulator.current.url,
      maxRetries: 0,
      logLevel: 'off',
    });
    const error = await apiError(unversioned.messages.create(params('claude-version')));
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.type).toBe('invalid_request_error');
    expect(error.apiMessage).toBe('anthropic-version: header is required');
    expect(emulator.current.requests()[0]?.headers['anthropic-version']).toBeUndefined();
  });

  const invalidBodies: { name: string; body: Record<string, unknown>; message: string | RegExp }[] = [
    { name: 'missing max_tokens', body: { model: 'claude-x', messages: [{ role: 'user', content: 'hi' }] }, message: 'max_tokens: Field required' },
    { name: 'missing model', body: { max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }, message: 'model: Field required' },
    { name: 'missing messages', body: { model: 'claude-x', max_tokens: 8 }, message: 'messages: Field required' },
    { name: 'empty messages', body: { model: 'claude-x', max_tokens: 8, messages: [] }, message: 'messages: at least one message is required' },
    { name: 'fractional max_tokens', body: { ...params('claude-x'), max_tokens: 1.5 }, message: 'max_tokens: Input should be a valid integer' },
    { name: 'zero max_tokens', body: { ...params('claude-x'), max_tokens: 0 }, message: /^max_tokens: / },
    { name: 'temperature above 1', body: { ...params('claude-x'), temperature: 1.5 }, message: 'temperature: Input should be less than or equal to 1' },
    { name: 'system role in messages', body: { ...params('claude-x'), messages: [{ role: 'system', content: 'x' }] }, message: /^messages\.0\.role: / },
    {
      name: 'empty content',
      body: { ...params('claude-x'), messages: [{ role: 'user', content: '' }, { role: 'assistant', content: 'ok' }] },
      message: /^messages\.0: all messages must have non-empty content/,
    },
    { name: 'tool without schema', body: { ...params('claude-x'), tools: [{ name: 'lookup' }] }, message: 'tools.0.custom.input_schema: Field required' },
    {
      name: 'tool name with a dot',
      body: { ...params('claude-x'), tools: [{ name: 'a.b', input_schema: { type: 'object' } }] },
      message: /^tools\.0\.custom\.name: String should match pattern/,
    },
    { name: 'unknown tool_choice', body: { ...params('claude-x'), tool_choice: { type: 'required' } }, message: /^tool_choice: Input tag 'required'/ },
    {
      name: 'tool_use without tool_result',
      body: {
        ...params('claude-x'),
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} }] },
          { role: 'user', content: 'and?' },
        ],
      },
      message: /^messages\.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1\./,
    },
    {
      name: 'tool_result without tool_use',
      body: { ...params('claude-x'), messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'x' }] }] },
      message: /^messages\.0\.content\.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9\./,
    },
    { name: 'an unknown block type', body: { ...params('claude-x'), messages: [{ role: 'user', content: [{ type: 'audio', data: 'UklGRg==' }] }] }, message: /^messages\.0\.content\.0: Input tag 'audio' found using 'type' does not match any of the expected tags: .*'document'/ },
  ];

  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
  const withDocument = (document: Record<string, unknown>) => ({ ...params('claude-x'), messages: [{ role: 'user', content: [document, { type: 'text', text: 'Summarise.' }] }] });
  const invalidDocuments: { name: string; body: Record<string, unknown>; message: string | RegExp }[] = [
    { name: 'no source', body: withDocument({ type: 'document' }), message: 'messages.0.content.0.document.source: Field required' },
    {
      name: 'a Files API source without the files beta',
      body: withDocument({ type: 'document', source: { type: 'file', file_id: 'file_011' } }),
      message: "messages.0.content.0.document.source: Input tag 'file' found using 'type' does not match any of the expected tags: 'base64', 'content', 'text', 'url'",
    },
    {
      name: 'base64 that is not a PDF type',
      body: withDocument({ type: 'document', source: { type: 'base64', media_type: 'text/markdown', data: 'IyBUaXRsZQ==' } }),
      message: "messages.0.content.0.document.source.base64.media_type: Input should be 'application/pdf'",
    },
    { name: 'base64 without data', body: withDocument({ type: 'document', source: { type: 'base64', media_type: 'application/pdf' } }), message: 'messages.0.content.0.document.source.base64.data: Field required' },
    {
      name: 'base64 data that is not a PDF',
      body: withDocument({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'aGVsbG8gd29ybGQ=' } }),
      message: 'messages.0.content.0.pdf.source.base64.data: The PDF specified was not valid.',
    },
    {
      name: 'a text source of another type',
      body: withDocument({ type: 'document', source: { type: 'text', media_type: 'text/csv', data: 'a,b' } }),
      message: "messages.0.content.0.document.source.text.media_type: Input should be 'text/plain'",
    },
    { name: 'a URL source without its url', body: withDocument({ type: 'document', source: { type: 'url' } }), message: 'messages.0.content.0.document.source.url.url: Field required' },
    {
      name: 'a title that is not a string',
      body: withDocument({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf }, title: 7 }),
      message: 'messages.0.content.0.document.title: Input should be a valid string',
    },
  ];
  invalidBodies.push(...invalidDocuments);

  it.each(invalidBodies)('answers 400 invalid_request_error for $name', async ({ body, message }) => {
    const error = await apiError(client.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming));
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.type).toBe('invalid_request_error');
    expect(error.apiMessage).toMatch(message);
    expect(error.requestID).toMatch(/^req_/);
  });
});

describe('anthropic documents', () => {
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');

  it('takes documents as the API does: a PDF as base64 or by URL, plain text, custom content, with title and context', async () => {
    emulator.current.script('claude-documents', { reply: { text: 'Read them.' } });
    const content: Anthropic.ContentBlockParam[] = [
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf }, title: 'report.pdf', context: 'Q3', cache_control: { type: 'ephemeral' } },
      { type: 'document', source: { type: 'url', url: 'https://example.com/report.pdf' } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Plain notes.' }, citations: { enabled: true } },
      { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'A chunk.' }] } },
      { type: 'text', text: 'Compare them.' },
    ];
    const message = await client.messages.create({ model: 'claude-documents', max_tokens: 32, messages: [{ role: 'user', content }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Read them.' });
    expect((emulator.current.requests({ model: 'claude-documents' })[0]?.body as { messages: Array<{ content: unknown }> }).messages[0]?.content).toEqual(content);
  });

  it('takes a Files API document with the files beta', async () => {
    const message = await client.beta.messages.create({
      model: 'claude-files',
      max_tokens: 8,
      betas: ['files-api-2025-04-14'],
      messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'file', file_id: 'file_011' } }, { type: 'text', text: 'hi' }] }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'echo: hi' });
  });

  it('answers 413 request_too_large for a body over 32 MB, before anything else', async () => {
    const data = Buffer.alloc(24 * 1024 * 1024 + 3).toString('base64');
    const body = { ...params('claude-huge'), messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data } }] }] };
    const error = await apiError(client.messages.create(body as Anthropic.MessageCreateParamsNonStreaming));
    expect(error.status).toBe(413);
    expect(error.type).toBe('request_too_large');
    expect(error.apiMessage).toBe('Request exceeds the maximum allowed number of bytes.');
  });
});

describe('anthropic transport faults', () => {
  it('times out on hang with a short client timeout', async () => {
    scriptFault('claude-hang', { kind: 'hang' });
    const started = performance.now();
    const error = await apiError(client.messages.create(params('claude-hang'), { timeout: 100 }));
    expect(error).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(emulator.current.requests({ model: 'claude-hang' })).toHaveLength(1);
  });

  it('surfaces a reset as APIConnectionError', async () => {
    scriptFault('claude-reset', { kind: 'reset' });
    const error = await apiError(client.messages.create(params('claude-reset')));
    expect(error).toBeInstanceOf(Anthropic.APIConnectionError);
    expect(error).not.toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(error.status).toBeUndefined();
  });

  it('adds scripted latency before the answer', async () => {
    emulator.current.script('claude-latency', { latencyMs: 80, reply: { text: 'late' } });
    const started = performance.now();
    const message = await client.messages.create(params('claude-latency'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'late' });
  });

  it('delays a non-streamed answer on slow-first-token', async () => {
    emulator.current.script('claude-slow', { sequence: [{ kind: 'slow-first-token', delayMs: 80 }], reply: { text: 'slow' } });
    const started = performance.now();
    const message = await client.messages.create(params('claude-slow'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'slow' });
  });

  it('turns stream faults on a non-streamed call into their JSON counterparts', async () => {
    emulator.current.script('claude-json-faults', {
      sequence: [{ kind: 'stream-error', afterParts: 0, type: 'overloaded_error' }, { kind: 'cut', afterParts: 0 }, { kind: 'malformed', afterParts: 0 }],
      reply: { text: 'fine' },
    });
    const overloaded = await apiError(client.messages.create(params('claude-json-faults')));
    expect(overloaded).toBeInstanceOf(Anthropic.OverloadedError);
    expect(overloaded.status).toBe(529);

    const cut = await client.messages.create(params('claude-json-faults')).catch((caught: unknown) => caught);
    expect(cut).toBeInstanceOf(Error);
    expect(cut).not.toBeInstanceOf(Anthropic.APIError);

    const malformed = await client.messages.create(params('claude-json-faults')).catch((caught: unknown) => caught);
    expect(malformed).toBeInstanceOf(SyntaxError);

    const recovered = await client.messages.create(params('claude-json-faults'));
    expect(recovered.content[0]).toMatchObject({ type: 'text', text: 'fine' });
  });
});
