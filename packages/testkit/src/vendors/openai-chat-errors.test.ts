import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { failure, useEmulator } from '../vitest.js';

const emulator = useEmulator();
let client: OpenAI;

beforeAll(() => {
  // logLevel off: the SDK logs the unparsable line of the malformed-stream test before throwing.
  client = new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: `${emulator.current.url}/v1`, maxRetries: 0, logLevel: 'off' });
});

const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Say hello' }];

function generate(model: string, options?: OpenAI.RequestOptions) {
  return client.chat.completions.create({ model, messages }, options);
}

async function streamText(model: string): Promise<string> {
  let text = '';
  for await (const chunk of await client.chat.completions.create({ model, messages, stream: true })) {
    text += chunk.choices[0]?.delta.content ?? '';
  }
  return text;
}

describe('status faults', () => {
  it('renders 429 as RateLimitError with OpenAI type and code and the retry headers', async () => {
    emulator.current.script('gpt-limited', {
      sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 2, retryAfterMs: 1500, shouldRetry: true }],
    });
    const error = await failure(generate('gpt-limited'));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.type).toBe('requests');
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.message).toMatch(/^429 Rate limit reached for gpt-limited/);
    expect(rateLimit.headers.get('retry-after')).toBe('2');
    expect(rateLimit.headers.get('retry-after-ms')).toBe('1500');
    expect(rateLimit.headers.get('x-should-retry')).toBe('true');
    expect(rateLimit.requestID).toMatch(/^req_/);
  });

  it('uses the scripted type, code, message and extra headers', async () => {
    emulator.current.script('gpt-quota', {
      sequence: [
        { kind: 'status', status: 429, type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota.', headers: { 'x-extra': 'yes' } },
      ],
    });
    const error = (await failure(generate('gpt-quota'))) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.error).toEqual({ message: 'You exceeded your current quota.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' });
    expect(error.headers.get('x-extra')).toBe('yes');
  });

  it('renders 5xx as InternalServerError with type server_error', async () => {
    emulator.current.script('gpt-down', { sequence: [{ kind: 'status', status: 503, shouldRetry: false }] });
    const error = (await failure(generate('gpt-down'))) as InstanceType<typeof OpenAI.InternalServerError>;
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(503);
    expect(error.type).toBe('server_error');
    expect(error.headers.get('x-should-retry')).toBe('false');
  });

  it('renders 404 as NotFoundError with model_not_found', async () => {
    emulator.current.script('gpt-missing', { sequence: [{ kind: 'status', status: 404 }] });
    const error = await failure(generate('gpt-missing'));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', type: 'invalid_request_error' });
  });

  it('consumes the sequence, then answers with the reply', async () => {
    emulator.current.script('gpt-flaky', { sequence: [{ kind: 'status', status: 500 }], reply: { text: 'recovered' } });
    await expect(generate('gpt-flaky')).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    const completion = await generate('gpt-flaky');
    expect(completion.choices[0]?.message.content).toBe('recovered');
    expect(emulator.current.requests({ model: 'gpt-flaky' })).toHaveLength(2);
  });
});

describe('authentication', () => {
  it('answers a wrong key with 401 invalid_api_key and a redacted key', async () => {
    const stranger = new OpenAI({ apiKey: 'sk-wrong-key-123456', baseURL: `${emulator.current.url}/v1`, maxRetries: 0 });
    const error = await failure(stranger.chat.completions.create({ model: 'gpt-4o-mini', messages }));
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error', param: null });
    expect((error as Error).message).toMatch(/Incorrect API key provided: sk-\*+3456\./);
    expect((error as Error).message).not.toContain('wrong-key');
    expect(emulator.current.requests()[0]?.model).toBeUndefined();
  });
});

describe('transport faults', () => {
  it('surfaces a reset as APIConnectionError', async () => {
    emulator.current.script('gpt-reset', { sequence: [{ kind: 'reset' }] });
    const error = await failure(generate('gpt-reset'));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(error).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });

  it('surfaces a hang as APIConnectionTimeoutError under a short timeout', async () => {
    emulator.current.script('gpt-hang', { sequence: [{ kind: 'hang' }] });
    const started = performance.now();
    const error = await failure(generate('gpt-hang', { timeout: 150 }));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('delays a non-streamed answer by the slow-first-token delay', async () => {
    emulator.current.script('gpt-slow', { sequence: [{ kind: 'slow-first-token', delayMs: 120 }], reply: { text: 'late' } });
    const started = performance.now();
    const completion = await generate('gpt-slow');
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(completion.choices[0]?.message.content).toBe('late');
  });

  it('cuts a non-streamed call as a connection error and sends half a body for malformed', async () => {
    emulator.current.script('gpt-broken', { sequence: [{ kind: 'cut', afterParts: 0 }, { kind: 'malformed', afterParts: 0 }] });
    await expect(generate('gpt-broken')).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    await expect(generate('gpt-broken')).rejects.toBeInstanceOf(SyntaxError);
  });
});

describe('stream faults', () => {
  it('throws APIError for an in-band error after the parts already delivered', async () => {
    emulator.current.script('gpt-inband', {
      sequence: [{ kind: 'stream-error', afterParts: 2, message: 'The model crashed.' }],
      reply: { text: 'abcdefghijklmnop' },
      chunkSize: 4,
    });
    const received: string[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of await client.chat.completions.create({ model: 'gpt-inband', messages, stream: true })) {
          received.push(chunk.choices[0]?.delta.content ?? '');
        }
      })(),
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBeUndefined();
    expect((error as Error).message).toBe('The model crashed.');
    expect((error as InstanceType<typeof OpenAI.APIError>).type).toBe('server_error');
    expect(received.join('')).toBe('abcdefgh');
  });

  it('delivers the parts before a mid-stream cut, then the SDK throws fetch\'s "terminated"', async () => {
    emulator.current.script('gpt-cut', { sequence: [{ kind: 'cut', afterParts: 1 }], reply: { text: 'abcdefghijkl' }, chunkSize: 4 });
    const received: string[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of await client.chat.completions.create({ model: 'gpt-cut', messages, stream: true })) {
          received.push(chunk.choices[0]?.delta.content ?? '');
        }
      })(),
    );
    expect(received.join('')).toBe('abcd');
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('terminated');
  });

  it('throws SyntaxError for a data line that is not JSON', async () => {
    emulator.current.script('gpt-malformed', { sequence: [{ kind: 'malformed', afterParts: 1 }], chunkSize: 4 });
    const error = await failure(streamText('gpt-malformed'));
    expect(error).toBeInstanceOf(SyntaxError);
    expect((error as Error).message).toMatch(/malformed server-sent event JSON/);
  });

  it('holds the first content part for slow-first-token and paces parts for drip', async () => {
    emulator.current.script('gpt-paced', {
      sequence: [{ kind: 'slow-first-token', delayMs: 150 }, { kind: 'drip', intervalMs: 40 }],
      reply: { text: 'abcdefghijkl' },
      chunkSize: 4,
    });
    let started = performance.now();
    const slow = await streamText('gpt-paced');
    expect(slow).toBe('abcdefghijkl');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    started = performance.now();
    const dripped = await streamText('gpt-paced');
    expect(dripped).toBe('abcdefghijkl');
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('times out a stream that hangs before headers', async () => {
    emulator.current.script('gpt-stream-hang', { sequence: [{ kind: 'hang' }] });
    const error = await failure(client.chat.completions.create({ model: 'gpt-stream-hang', messages, stream: true }, { timeout: 100 }));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });
});
