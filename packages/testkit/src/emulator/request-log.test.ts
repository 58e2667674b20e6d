import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRequestLog, startEmulator, TEST_CREDENTIALS, type RecordedRequest, type RunningEmulator } from '../index.js';

describe('the request log', () => {
  let emulator: RunningEmulator;
  const arrived: RecordedRequest[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({ onRequest: (request) => arrived.push(request) });
  });
  afterAll(() => emulator.close());

  it('prints every request with each credential redacted, whatever carried it', async () => {
    const openai = new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: emulator.baseUrls.openai, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'gpt-log', messages: [{ role: 'user', content: 'logged question' }] });
    const anthropic = new Anthropic({ apiKey: TEST_CREDENTIALS.anthropic, baseURL: emulator.baseUrls.anthropic, maxRetries: 0 });
    await anthropic.messages.create({ model: 'claude-log', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    const bedrock = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: emulator.url, credentials: TEST_CREDENTIALS.aws, maxAttempts: 1 });
    await bedrock.send(new ConverseCommand({ modelId: 'bedrock-log', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
    bedrock.destroy();
    await fetch(`${emulator.url}/v1beta/models/gemini-log:generateContent?key=${TEST_CREDENTIALS.gemini}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    const assertion = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA';
    await fetch(`${emulator.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
    });

    const log = emulator.log();
    expect(arrived).toHaveLength(5);
    expect(log).toBe(formatRequestLog(arrived));
    for (const secret of [TEST_CREDENTIALS.openai, TEST_CREDENTIALS.anthropic, TEST_CREDENTIALS.aws.accessKeyId, TEST_CREDENTIALS.gemini, assertion]) {
      expect(log).not.toContain(secret);
    }
    const signature = /Signature=([0-9a-f]{64})/.exec(String(emulator.requests({ vendor: 'bedrock' })[0]?.headers.authorization))?.[1];
    expect(signature).toBeDefined();
    expect(log).not.toContain(signature);
    // What explains a failure stays: paths, models, bodies, the SigV4 scope, the auth scheme.
    expect(log).toContain('openai POST /v1/chat/completions');
    expect(log).toContain('model gpt-log');
    expect(log).toContain('logged question');
    expect(log).toContain('authorization: Bearer [redacted]');
    expect(log).not.toMatch(/x-api-key: (?!\[redacted\])/);
    expect(log).toMatch(/Credential=\[redacted\]\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(log).toContain('key=[redacted]');
    expect(log).toContain('assertion=%5Bredacted%5D');
  });

  it('cuts long bodies and can leave headers out', () => {
    const [request] = emulator.requests({ model: 'gpt-log' });
    expect(request).toBeDefined();
    const short = formatRequestLog(request ? [request] : [], { maxBodyChars: 20, headers: false });
    expect(short.split('\n')).toHaveLength(2);
    expect(short).toMatch(/\.\.\. \(\d+ chars\)$/);
  });

  it("redacts another vendor's credential header by its name", () => {
    const request: RecordedRequest = {
      vendor: 'echo',
      method: 'POST',
      path: '/echo/v1/replies',
      query: {},
      headers: { 'x-echo-key': 'echo-secret-value-1234', 'x-acme-token': 'acme-secret-value-1234', 'x-team': 'search', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      body: { model: 'echo-1' },
      rawBody: Buffer.from('{"model":"echo-1"}'),
      httpVersion: '1.1',
      receivedAt: 0,
      connectionId: 1,
    };
    const log = formatRequestLog([request]);
    expect(log).toContain('x-echo-key: [redacted]');
    expect(log).toContain('x-acme-token: [redacted]');
    expect(log).toContain('x-team: search');
    expect(log).toContain('x-amz-content-sha256: UNSIGNED-PAYLOAD');
  });
});
