import { createRequire } from 'node:module';
import { BedrockRuntimeClient, ConverseCommand, ValidationException, type ContentBlock, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { useEmulator } from '../vitest.js';
import { readSigV4Authorization } from './bedrock-sigv4.js';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const requireFromSdk = createRequire(createRequire(import.meta.url).resolve('@aws-sdk/client-bedrock-runtime'));
const { NodeHttpHandler } = requireFromSdk('@smithy/node-http-handler') as { NodeHttpHandler: new () => object };

const emulator = useEmulator();
let client: BedrockRuntimeClient;

beforeAll(() => {
  client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: emulator.current.url, credentials: TEST_CREDENTIALS.aws, maxAttempts: 1 });
});
afterAll(() => client.destroy());

const userMessage = (text: string): ConverseCommandInput['messages'] => [{ role: 'user', content: [{ text }] }];

describe('Converse', () => {
  test('returns the scripted text with stop reason, usage and request id; records the request', async () => {
    emulator.current.script(MODEL, { reply: { text: 'Hello, Bedrock!', usage: { inputTokens: 12, outputTokens: 4 } } });
    const result = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        system: [{ text: 'Be brief.' }],
        messages: userMessage('Say hello'),
        inferenceConfig: { maxTokens: 64, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
        additionalModelRequestFields: { top_k: 5 },
      }),
    );
    expect(result.output?.message).toEqual({ role: 'assistant', content: [{ text: 'Hello, Bedrock!' }] });
    expect(result.stopReason).toBe('end_turn');
    expect(result.usage).toEqual({ inputTokens: 12, outputTokens: 4, totalTokens: 16, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
    expect(result.metrics?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.$metadata).toMatchObject({ httpStatusCode: 200, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const [request] = emulator.current.requests({ model: MODEL });
    expect(request).toMatchObject({ vendor: 'bedrock', method: 'POST', path: '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse', httpVersion: '2.0' });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Say hello' }] }],
      inferenceConfig: { maxTokens: 64, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
      additionalModelRequestFields: { top_k: 5 },
    });
    expect(readSigV4Authorization(request!.headers)).toMatchObject({ accessKeyId: TEST_CREDENTIALS.aws.accessKeyId, region: 'us-east-1', service: 'bedrock' });
  });

  test('estimates usage and echoes the last user text when nothing is scripted', async () => {
    const result = await client.send(new ConverseCommand({ modelId: MODEL, messages: userMessage('ping pong') }));
    expect(result.output?.message?.content).toEqual([{ text: 'echo: ping pong' }]);
    expect(result.usage?.inputTokens).toBeGreaterThan(0);
    expect(result.usage?.totalTokens).toBe((result.usage?.inputTokens ?? 0) + (result.usage?.outputTokens ?? 0));
  });

  test('returns tool use blocks with the input as a document', async () => {
    emulator.current.script(MODEL, {
      reply: { text: 'Let me check.', toolCalls: [{ id: 'tooluse_weather01', name: 'get_weather', arguments: { city: 'Paris', days: 2 } }] },
    });
    const result = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        messages: userMessage('Weather in Paris?'),
        toolConfig: {
          tools: [{ toolSpec: { name: 'get_weather', description: 'Weather by city', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }],
          toolChoice: { auto: {} },
        },
      }),
    );
    expect(result.stopReason).toBe('tool_use');
    expect(result.output?.message?.content).toEqual([
      { text: 'Let me check.' },
      { toolUse: { toolUseId: 'tooluse_weather01', name: 'get_weather', input: { city: 'Paris', days: 2 } } },
    ]);
    expect(emulator.current.requests()[0]?.body).toMatchObject({ toolConfig: { tools: [{ toolSpec: { name: 'get_weather' } }], toolChoice: { auto: {} } } });
  });

  test('generates Bedrock-style tool use ids and maps finish reasons', async () => {
    emulator.current.script(MODEL, { sequence: [{ toolCalls: [{ name: 'lookup', arguments: '{"q":"x"}' }] }, { text: 'cut short', finishReason: 'length' }] });
    const tools = { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object' } } } }] };
    const first = await client.send(new ConverseCommand({ modelId: MODEL, messages: userMessage('find x'), toolConfig: tools }));
    expect(first.output?.message?.content).toEqual([{ toolUse: { toolUseId: expect.stringMatching(/^tooluse_[\w-]{22}$/), name: 'lookup', input: { q: 'x' } } }]);
    const second = await client.send(new ConverseCommand({ modelId: MODEL, messages: userMessage('again') }));
    expect(second.stopReason).toBe('max_tokens');
  });

  test('reports cache reads apart from inputTokens', async () => {
    emulator.current.script(MODEL, { reply: { text: 'cached', usage: { inputTokens: 100, outputTokens: 5, cachedInputTokens: 60 } } });
    const result = await client.send(new ConverseCommand({ modelId: MODEL, messages: userMessage('hi') }));
    expect(result.usage).toEqual({ inputTokens: 40, outputTokens: 5, totalTokens: 105, cacheReadInputTokens: 60, cacheWriteInputTokens: 0 });
  });

  test('reports cache writes apart from inputTokens too, and reasoning inside outputTokens', async () => {
    emulator.current.script(MODEL, { reply: { text: 'cached', usage: { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, cacheWriteInputTokens: 300, reasoningTokens: 50 } } });
    const result = await client.send(new ConverseCommand({ modelId: MODEL, messages: userMessage('hi') }));
    expect(result.usage).toEqual({ inputTokens: 200, outputTokens: 80, totalTokens: 1580, cacheReadInputTokens: 1000, cacheWriteInputTokens: 300 });
  });

  test('accepts inference profile ARNs as the model id', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0';
    emulator.current.script(arn, { reply: { text: 'from a profile' } });
    const result = await client.send(new ConverseCommand({ modelId: arn, messages: userMessage('hi') }));
    expect(result.output?.message?.content).toEqual([{ text: 'from a profile' }]);
    expect(emulator.current.requests({ model: arn })[0]?.path).toBe(`/model/${encodeURIComponent(arn)}/converse`);
  });

  test('serves HTTP/1.1 clients too', async () => {
    const http1Client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: emulator.current.url,
      credentials: TEST_CREDENTIALS.aws,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
    try {
      emulator.current.script(MODEL, { reply: { text: 'over http/1.1' } });
      const result = await http1Client.send(new ConverseCommand({ modelId: MODEL, messages: userMessage('hi') }));
      expect(result.output?.message?.content).toEqual([{ text: 'over http/1.1' }]);
      const [request] = emulator.current.requests();
      expect(request?.httpVersion).toBe('1.1');
      expect(readSigV4Authorization(request!.headers)?.signedHeaders).toContain('host');
    } finally {
      http1Client.destroy();
    }
  });
});

describe('Converse request validation', () => {
  const expectValidation = async (input: ConverseCommandInput, message: string | RegExp) => {
    const error = await client.send(new ConverseCommand(input)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
    expect((error as ValidationException).message).toMatch(message);
  };

  test('rejects what the service rejects, without using up the scripted outcome', async () => {
    emulator.current.script(MODEL, { sequence: [{ text: 'first scripted reply' }] });
    await expectValidation({ modelId: MODEL }, /^A conversation must start with a user message/);
    await expectValidation({ modelId: MODEL, messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] }, /^A conversation must start with a user message/);
    await expectValidation(
      { modelId: MODEL, messages: [{ role: 'system' as 'user', content: [{ text: 'hi' }] }] },
      "1 validation error detected: Value 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]",
    );
    await expectValidation(
      { modelId: MODEL, messages: [...userMessage('a')!, ...userMessage('b')!] },
      /^A conversation must alternate between user and assistant roles/,
    );
    await expectValidation({ modelId: MODEL, messages: [{ role: 'user', content: [] }] }, /content field in the Message object at messages\.0 is empty/);
    await expectValidation({ modelId: MODEL, messages: userMessage('hi'), inferenceConfig: { maxTokens: 0 } }, /'inferenceConfig\.maxTokens' failed to satisfy constraint/);
    await expectValidation({ modelId: MODEL, messages: userMessage('hi'), inferenceConfig: { temperature: 1.5 } }, /less than or equal to 1/);
    await expectValidation(
      {
        modelId: MODEL,
        messages: [
          { role: 'user', content: [{ text: 'weather?' }] },
          { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'get_weather', input: {} } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'sunny' }] } }] },
        ],
      },
      'The toolConfig field must be defined when using toolUse and toolResult content blocks.',
    );
    await expectValidation({ modelId: MODEL, messages: userMessage('hi'), toolConfig: { tools: [] } }, /'toolConfig\.tools' failed to satisfy constraint/);

    const rejected = emulator.current.requests({ model: MODEL });
    expect(rejected).toHaveLength(9);
    const result = await client.send(new ConverseCommand({ modelId: MODEL, messages: userMessage('hi') }));
    expect(result.output?.message?.content).toEqual([{ text: 'first scripted reply' }]);
  });
});

describe('Converse documents', () => {
  const PDF = new TextEncoder().encode('%PDF-1.7\n%%EOF\n');
  const withText = (...blocks: ContentBlock[]): ConverseCommandInput['messages'] => [
    { role: 'user', content: [{ text: 'Summarise these.' }, ...blocks] },
  ];
  const expectValidation = async (messages: ConverseCommandInput['messages'], message: string | RegExp) => {
    const error = await client.send(new ConverseCommand({ modelId: MODEL, messages })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
    expect((error as ValidationException).message).toMatch(message);
  };

  test('takes documents by bytes, by S3 location and as text, in every documented format', async () => {
    const formats = ['pdf', 'csv', 'doc', 'docx', 'xls'] as const;
    const result = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        messages: withText(...formats.map((format, index) => ({ document: { format, name: `Report (${index}) [draft]`, source: { bytes: PDF } } }))),
      }),
    );
    expect(result.stopReason).toBe('end_turn');
    await client.send(
      new ConverseCommand({
        modelId: MODEL,
        messages: withText(
          { document: { format: 'xlsx', name: 'sheet', source: { s3Location: { uri: 's3://my-bucket/data/sheet.xlsx', bucketOwner: '123456789012' } } } },
          { document: { format: 'html', name: 'page', source: { bytes: PDF } } },
          { document: { format: 'txt', name: 'notes', source: { bytes: PDF } } },
          { document: { format: 'md', name: 'readme', source: { bytes: PDF } } },
          { document: { name: 'inline', source: { text: 'plain text needs no format' } } },
        ),
      }),
    );
    const [first] = emulator.current.requests({ model: MODEL });
    const content = (first?.body as { messages: Array<{ content: unknown[] }> }).messages[0]!.content;
    // The SDK sends the bytes as base64.
    expect(content[1]).toEqual({ document: { format: 'pdf', name: 'Report (0) [draft]', source: { bytes: Buffer.from(PDF).toString('base64') } } });
  });

  test("refuses what the service refuses, in Bedrock's words, without using up the scripted outcome", async () => {
    emulator.current.script(MODEL, { sequence: [{ text: 'first scripted reply' }] });
    const path = 'messages.1.member.content.2.member.document';
    const pdf = (document: Record<string, unknown>) => withText(document as never);
    await expectValidation(pdf({ document: { format: 'pdf', source: { bytes: PDF } } }), `1 validation error detected: Value at '${path}.name' failed to satisfy constraint: Member must not be null`);
    await expectValidation(pdf({ document: { name: 'report', source: { bytes: PDF } } }), `1 validation error detected: Value at '${path}.format' failed to satisfy constraint: Member must not be null`);
    await expectValidation(
      pdf({ document: { format: 'rtf', name: 'report', source: { bytes: PDF } } }),
      `1 validation error detected: Value at '${path}.format' failed to satisfy constraint: Member must satisfy enum value set: [pdf, csv, doc, docx, xls, xlsx, html, txt, md]`,
    );
    for (const name of ["John's report", 'invoice #123', 'report.pdf', 'résumé', 'Report -  Final', 'a\tb']) {
      await expectValidation(pdf({ document: { format: 'pdf', name, source: { bytes: PDF } } }), /^The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets\./);
    }
    await expectValidation(pdf({ document: { format: 'pdf', name: '', source: { bytes: PDF } } }), /document\.name' failed to satisfy constraint: Member must have length greater than or equal to 1$/);
    await expectValidation(pdf({ document: { format: 'pdf', name: 'a'.repeat(201), source: { bytes: PDF } } }), /document\.name' failed to satisfy constraint: Member must have length less than or equal to 200$/);
    await expectValidation(pdf({ document: { format: 'pdf', name: 'big', source: { bytes: new Uint8Array(4.5 * 1024 * 1024 + 1) } } }), /Each document's size must be no more than 4\.5 MB/);
    await expectValidation(pdf({ document: { format: 'pdf', name: 'remote', source: { s3Location: { uri: 'https://example.com/a.pdf' } } } }), /s3Location\.uri' failed to satisfy constraint/);
    await expectValidation([{ role: 'user', content: [{ document: { format: 'pdf', name: 'alone', source: { bytes: PDF } } }] }], /includes a document but no text/);
    await expectValidation(
      withText(...Array.from({ length: 6 }, (_, index) => ({ document: { format: 'pdf' as const, name: `doc ${index}`, source: { bytes: PDF } } }))),
      /has 6 documents; a message can include up to 5 documents/,
    );
    await expectValidation(
      [
        { role: 'user', content: [{ text: 'hi' }] },
        { role: 'assistant', content: [{ text: 'see' }, { document: { format: 'pdf', name: 'mine', source: { bytes: PDF } } }] },
      ],
      /^Documents can only be included in user messages/,
    );
    await expectValidation(withText({ $unknown: ['file', { data: 'x' }] }), /extraneous key \[file\] is not permitted/);

    const result = await client.send(new ConverseCommand({ modelId: MODEL, messages: userMessage('hi') }));
    expect(result.output?.message?.content).toEqual([{ text: 'first scripted reply' }]);
  });
});
