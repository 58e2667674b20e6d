import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegError } from '@reg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel, callOptions, collect, failure, user } from '@reg/testkit/vitest';
import { openaiGeneric } from '../src/index.js';

const hello = user('Say hello');

// Compatible servers answer errors in their own shapes; a tiny server plays each one.
const answers = new Map<string, { status: number; body: string; type?: string; headers?: Record<string, string> }>([
  ['plain-text', { status: 500, body: 'upstream exploded', type: 'text/plain' }],
  ['string-error', { status: 400, body: JSON.stringify({ error: 'model "llama9" not found, try pulling it first' }) }],
  ['message-only', { status: 429, body: JSON.stringify({ message: 'Slow down' }), headers: { 'retry-after': '2' } }],
  ['detail', { status: 422, body: JSON.stringify({ detail: [{ loc: ['body', 'messages'], msg: 'field required', type: 'missing' }] }) }],
  ['detail-context', { status: 400, body: JSON.stringify({ detail: "This model's maximum context length is 4096 tokens." }) }],
  ['numeric-code', { status: 401, body: JSON.stringify({ error: { message: 'Invalid API Key', code: 401 } }) }],
  ['empty', { status: 503, body: '' }],
  ['in-band', { status: 200, body: 'data: {"error":{"message":"model overloaded","type":"overloaded_error"}}\n\n', type: 'text/event-stream' }],
]);

let server: Server;
let baseUrl: string;
const seen: Array<Record<string, string | string[] | undefined>> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      seen.push(request.headers);
      const model = (JSON.parse(text) as { model: string }).model;
      const answer = answers.get(model) ?? { status: 200, body: JSON.stringify(ok(model)) };
      response.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json', ...answer.headers });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function ok(model: string) {
  return {
    id: 'cmpl-1',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hi from llama.' }, finish_reason: 'stop' }],
  };
}

async function errorFor(model: string): Promise<RegError> {
  const error = await failure(buildModel(openaiGeneric, { model, base_url: baseUrl }).doGenerate(hello, callOptions()));
  expect(RegError.isInstance(error)).toBe(true);
  return error as RegError;
}

describe('openai-generic against servers with their own error bodies', () => {
  it('sends no Authorization header without api_key (Ollama) and answers without usage', async () => {
    const result = await buildModel(openaiGeneric, { model: 'llama3.2', base_url: baseUrl }).doGenerate(hello, callOptions());
    expect(result.content).toEqual([{ type: 'text', text: 'Hi from llama.' }]);
    expect(result.usage).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });

  it.each([
    ['plain-text', { code: 'server', retryable: true, status: 500 }, /upstream exploded/],
    ['string-error', { code: 'invalid_request', retryable: false, status: 400 }, /model "llama9" not found, try pulling it first/],
    ['message-only', { code: 'rate_limited', retryable: true, status: 429, retryAfterMs: 2000 }, /Slow down/],
    ['detail', { code: 'invalid_request', retryable: false, status: 422 }, /field required/],
    ['detail-context', { code: 'context_length', retryable: false, status: 400 }, /maximum context length is 4096/],
    ['numeric-code', { code: 'auth', retryable: false, status: 401 }, /Invalid API Key/],
    ['empty', { code: 'overloaded', retryable: true, status: 503 }, /no error details/],
  ])('maps %s', async (model, expected, message) => {
    const error = await errorFor(model);
    expect(error).toMatchObject({ ...expected, client: 'Test', provider: 'openai-generic', model });
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^Client 'Test' \(openai-generic, model /);
  });

  it('maps an in-band stream error by its type', async () => {
    const error = await failure(collect(buildModel(openaiGeneric, { model: 'in-band', base_url: baseUrl }).doStream(hello, callOptions())));
    expect(error).toMatchObject({ code: 'overloaded', retryable: true, status: undefined });
    expect((error as Error).message).toMatch(/the stream reported an error: model overloaded/);
  });

  it('maps a refused connection to a retryable connection error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(buildModel(openaiGeneric, { model: 'x', base_url: `http://127.0.0.1:${port}/v1` }).doGenerate(hello, callOptions()));
    expect(error).toMatchObject({ code: 'connection', retryable: true });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('sends api_key as a bearer token when given', async () => {
    await buildModel(openaiGeneric, { model: 'llama3.2', base_url: baseUrl, api_key: 'gsk-secret-value' }).doGenerate(hello, callOptions());
    expect(seen.at(-1)?.authorization).toBe('Bearer gsk-secret-value');
  });
});
