import { inspect } from 'node:util';
import type { ChatRequest, RegError, ToolDefinition } from '@reg/core';
import { fileExpectation, missingCapability, type Capability } from './capabilities.js';
import { CONFORMANCE_FILES, type ConformanceFile } from './conformance-files.js';
import { reportedUsage } from './conformance-vendors.js';
import { CLIENT, Harness, drainStream, printedForms, rejection, user, waitForClientClose } from './harness.js';
import type { ConformanceCheck, ExpectedError, TestProviderOptions } from './types.js';

const WEATHER_TOOL: ToolDefinition = {
  name: 'get_weather',
  description: 'The current weather in a city.',
  inputSchema: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['city'],
  },
};

/** A 1x1 PNG: the images check looks for exactly this base64 in what the vendor received. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** A response schema whose property names appear nowhere else in the request. */
const FORECAST_SCHEMA = {
  type: 'object',
  properties: { forecastCity: { type: 'string' }, highCelsius: { type: 'number' } },
  required: ['forecastCity', 'highCelsius'],
  additionalProperties: false,
};

/** Usage in reg's meaning with every part: cache reads and writes in the input, reasoning in the output. */
const FULL_USAGE = { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, cacheWriteInputTokens: 300, reasoningTokens: 50 };

/** A user message with a line of text and one file, as bytes. */
function withFile(file: ConformanceFile): ChatRequest {
  const part = { type: 'file' as const, data: file.bytes, mediaType: file.mediaType, filename: file.filename };
  return { messages: [{ role: 'user', content: [{ type: 'text', text: 'Read the attached file.' }, part] }] };
}

/** Slow enough that a check's own timeout, not the emulator's pacing, decides the outcome. */
const NEVER_MS = 5_000;
const CHECK_TIMEOUT_MS = 20_000;

/**
 * Registers the provider conformance suite in the calling vitest file: `await testProvider(...)`
 * at the top level. Each check makes a fresh client with a model name of its own against one
 * emulator, through a real `ClientRegistry`, so what passes here works in an application. Which
 * checks run follows the provider's declarations (see `TestProviderOptions`).
 */
export async function testProvider(options: TestProviderOptions): Promise<void> {
  // Loaded here, not at import: apps that only use the emulators need no test runner.
  const { afterAll, beforeAll, describe, expect, it } = await import('vitest');
  const harness = new Harness(options);
  const { vendor } = harness;
  const providerName = options.provider.name;
  const skips = options.skip ?? {};

  /** Registers a check, or a skipped test saying why: a capability it needs is not declared, or `skip`. */
  const check = (name: ConformanceCheck, title: string, body: () => Promise<void>, needs: readonly Capability[] = []): void => {
    const missing = missingCapability(options.provider, needs);
    const reason = missing ? `provider declares no ${missing} capability` : skips[name];
    if (reason) it.skip(`${title} (skipped: ${reason})`, body);
    else it(title, body, CHECK_TIMEOUT_MS);
  };

  const expectError = (error: RegError, expected: ExpectedError): void => {
    const seen = { code: error.code, retryable: error.retryable, status: error.status, retryAfterMs: error.retryAfterMs };
    const wanted = {
      code: expected.code,
      retryable: expected.retryable,
      status: expected.status ?? error.status,
      retryAfterMs: expected.retryAfterMs ?? error.retryAfterMs,
    };
    expect(seen, `mapped error: ${error.message}`).toEqual(wanted);
    expect(error.client).toBe(CLIENT);
    expect(error.provider).toBe(providerName);
  };

  const timeoutOf = (error: RegError | undefined): string | undefined => (error as { timeout?: string } | undefined)?.timeout;

  describe(options.title ?? `conformance: ${providerName} against the ${vendor.name} emulator`, () => {
    beforeAll(() => harness.start());
    afterAll(() => harness.stop());

    check('text', 'generate returns the text, finish reason and who answered', async () => {
      const client = await harness.client('text');
      const text = 'The quick brown fox jumps over the lazy dog.';
      harness.emulator.script(client.model, { reply: { text }, sequence: [{ text: 'Cut sho', finishReason: 'length' }, 'ok'] });
      const cut = await client.registry.generate(user('Say the pangram.'));
      expect(cut.finishReason).toBe('length');
      const result = await client.registry.generate(user('Say the pangram.'));
      expect(result.text).toBe(text);
      expect(result.content).toEqual([{ type: 'text', text }]);
      expect(result.toolCalls).toEqual([]);
      expect(result.finishReason).toBe('stop');
      expect({ client: result.client, provider: result.provider }).toEqual({ client: CLIENT, provider: providerName });
      expect(result.attempts).toHaveLength(1);
      expect(client.requests()).toHaveLength(2);
    });

    check('stream', 'stream yields start, the text in several deltas, then one finish', async () => {
      const client = await harness.client('stream');
      const text = 'Streaming keeps the first token fast, and the rest follows.';
      harness.emulator.script(client.model, { reply: { text }, chunkSize: 6 });
      const { parts, error } = await drainStream(client.registry.stream(user('Stream something.')));
      expect(error).toBeUndefined();
      expect(parts[0]).toMatchObject({ type: 'start', client: CLIENT, provider: providerName });
      const deltas = parts.filter((part) => part.type === 'text-delta');
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.every((part) => typeof part.text === 'string' && part.text !== '')).toBe(true);
      expect(deltas.map((part) => part.text).join('')).toBe(text);
      expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
      expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', client: CLIENT });
      expect(client.requests()).toHaveLength(1);
    }, ['streaming']);

    check('system-prompt', 'system prompts reach the vendor in its system slot', async () => {
      const client = await harness.client('system');
      await client.registry.generate({
        messages: [
          { role: 'system', content: 'You are terse. Rule seven applies.' },
          { role: 'user', content: 'Hello there.' },
        ],
      });
      await client.registry.generate({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'First system part.' }, { type: 'text', text: 'Second system part.' }] },
          { role: 'user', content: 'Hello again.' },
        ],
      });
      const [plain, parts] = client.requests();
      expect(plain && vendor.systemText(plain)).toContain('Rule seven applies.');
      const partsText = parts && vendor.systemText(parts);
      expect(partsText).toContain('First system part.');
      expect(partsText).toContain('Second system part.');
    });

    check('multi-turn-tools', 'a conversation with an assistant tool call and its result is sent whole', async () => {
      const client = await harness.client('multi-turn');
      const request: ChatRequest = {
        messages: [
          { role: 'system', content: 'Use the tools you are given.' },
          { role: 'user', content: 'What is the weather in Paris?' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Let me check.' },
              { type: 'tool-call', toolCallId: 'call_conformance_7', toolName: 'get_weather', input: { city: 'Paris' } },
            ],
          },
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: 'call_conformance_7', toolName: 'get_weather', output: { temperatureC: 21 } }],
          },
        ],
        tools: [WEATHER_TOOL],
      };
      const result = await client.registry.generate(request);
      expect(result.finishReason).toBe('stop');
      const sent = JSON.stringify(client.requests()[0]?.body);
      for (const fragment of ['What is the weather in Paris?', 'Let me check.', 'get_weather', 'temperatureC']) {
        expect(sent, `request body should carry ${fragment}`).toContain(fragment);
      }
    }, ['tools']);

    const toolReply = {
      toolCalls: [
        { id: 'call_conformance_1', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
        { id: 'call_conformance_2', name: 'get_weather', arguments: { city: 'Tokyo' } },
      ],
    };
    const idsAreVendors = vendor.toolCallIdsFromVendor ?? true;

    check('tool-calls', 'generate returns tool calls with parsed input', async () => {
      const client = await harness.client('tools');
      harness.emulator.script(client.model, { reply: toolReply });
      const result = await client.registry.generate({ ...user('Weather in Paris and Tokyo?'), tools: [WEATHER_TOOL], toolChoice: 'auto' });
      expect(result.finishReason).toBe('tool-calls');
      expect(result.toolCalls.map(({ toolName, input }) => ({ toolName, input }))).toEqual([
        { toolName: 'get_weather', input: { city: 'Paris', unit: 'celsius' } },
        { toolName: 'get_weather', input: { city: 'Tokyo' } },
      ]);
      const ids = result.toolCalls.map((call) => call.toolCallId);
      expect(new Set(ids).size).toBe(2);
      if (idsAreVendors) expect(ids).toEqual(['call_conformance_1', 'call_conformance_2']);
      expect(result.content.filter((part) => part.type === 'tool-call')).toHaveLength(2);
      const sent = JSON.stringify(client.requests()[0]?.body);
      expect(sent).toContain('get_weather');
      expect(sent).toContain('fahrenheit');
    }, ['tools']);

    check('tool-calls-stream', 'stream yields tool input deltas, then each complete tool call', async () => {
      const client = await harness.client('tools-stream');
      harness.emulator.script(client.model, { reply: toolReply, chunkSize: 5 });
      const { parts, error } = await drainStream(
        client.registry.stream({ ...user('Weather in Paris and Tokyo?'), tools: [WEATHER_TOOL], toolChoice: 'auto' }),
      );
      expect(error).toBeUndefined();
      const calls = parts.filter((part) => part.type === 'tool-call');
      expect(calls.map(({ toolName, input }) => ({ toolName, input }))).toEqual([
        { toolName: 'get_weather', input: { city: 'Paris', unit: 'celsius' } },
        { toolName: 'get_weather', input: { city: 'Tokyo' } },
      ]);
      for (const call of calls) {
        const deltas = parts.filter((part) => part.type === 'tool-call-delta' && part.toolCallId === call.toolCallId);
        expect(deltas.length, `deltas for ${String(call.toolCallId)}`).toBeGreaterThan(0);
        expect(deltas.every((part) => part.toolName === 'get_weather')).toBe(true);
        expect(JSON.parse(deltas.map((part) => part.inputDelta).join(''))).toEqual(call.input);
      }
      if (idsAreVendors) expect(calls.map((call) => call.toolCallId)).toEqual(['call_conformance_1', 'call_conformance_2']);
      expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    }, ['tools', 'streaming']);

    check('usage', 'usage counts every input token, cached reads included, in generate and stream', async () => {
      const client = await harness.client('usage');
      harness.emulator.script(client.model, { reply: { text: 'Cached answer.', usage: { inputTokens: 1200, outputTokens: 30, cachedInputTokens: 1000 } } });
      const expected = { inputTokens: 1200, outputTokens: 30, totalTokens: 1230, cachedInputTokens: 1000 };
      const result = await client.registry.generate(user('Use the cache.'));
      expect(result.usage).toEqual(expected);
      const { parts } = await drainStream(client.registry.stream(user('Use the cache.')));
      expect(parts.at(-1)?.usage).toEqual(expected);
    });

    check('usage', 'usage counts cache writes in the input and reasoning in the output, and sets those parts only where the vendor reports them', async () => {
      const client = await harness.client('usage-full');
      harness.emulator.script(client.model, { reply: { text: 'Thought it through.', usage: FULL_USAGE } });
      const result = await client.registry.generate(user('Think, using the cache.'));
      const reported = reportedUsage(vendor, client.requests()[0]);
      const expected = {
        inputTokens: 1500,
        outputTokens: 80,
        totalTokens: 1580,
        cachedInputTokens: 1000,
        ...(reported.cacheWrites ? { cacheWriteInputTokens: 300 } : {}),
        ...(reported.reasoning ? { reasoningTokens: 50 } : {}),
      };
      const says = `${vendor.name} reports cache writes: ${reported.cacheWrites ? 'yes' : 'no'}, reasoning tokens: ${reported.reasoning ? 'yes' : 'no'}`;
      expect(result.usage, says).toEqual(expected);
      const { parts, error } = await drainStream(client.registry.stream(user('Think, using the cache.')));
      expect(error).toBeUndefined();
      expect(parts.at(-1)?.usage, says).toEqual(expected);
    });

    check('images', 'an image part (base64 with its media type) reaches the vendor', async () => {
      const client = await harness.client('images');
      const result = await client.registry.generate({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              { type: 'image', image: PNG_BASE64, mediaType: 'image/png' },
            ],
          },
        ],
      });
      expect(result.finishReason).toBe('stop');
      const sent = client.requests()[0]?.rawBody.toString('utf8') ?? '';
      expect(sent, 'the request should carry the image').toContain(PNG_BASE64);
      expect(sent).toContain('What is in this picture?');
    }, ['images']);

    // Each canonical file is sent where a declared file type takes it, and must be refused by core
    // before any request where the provider declares capabilities but no type that takes it.
    describe('files', () => {
      const declared = options.provider.capabilities?.fileTypes ?? [];
      for (const file of CONFORMANCE_FILES) {
        const kind = `${file.label} (${file.mediaType})`;
        const expectation = fileExpectation(options.provider, file.mediaType);
        if (expectation.row === 'unchecked') {
          it.skip(`${kind} (skipped: provider declares no capabilities, so core refuses no file before the request and nothing says the vendor takes one)`, () => undefined);
        } else if (expectation.row === 'sent') {
          check('files', `${kind} sent as bytes reaches the vendor (fileTypes declares ${expectation.takenBy})`, async () => {
            const client = await harness.client('files');
            const result = await client.registry.generate(withFile(file));
            expect(result.finishReason).toBe('stop');
            const sent = client.requests()[0]?.rawBody.toString('utf8') ?? '';
            expect(sent).toContain('Read the attached file.');
            expect(
              file.evidence.some((evidence) => sent.includes(evidence)),
              `the request should carry the file (${file.evidence.length > 1 ? 'its base64 or its text' : 'its base64'})`,
            ).toBe(true);
          });
        } else {
          check('files', `${kind} fails with invalid_request before any request (${declared.length > 0 ? 'no type in fileTypes takes it' : 'provider declares no fileTypes'})`, async () => {
            const client = await harness.client('files-refused');
            const error = await rejection(client.registry.generate(withFile(file)));
            expect({ code: error.code, retryable: error.retryable, client: error.client }).toEqual({ code: 'invalid_request', retryable: false, client: CLIENT });
            expect(error.message).toContain('messages[0].content[1]');
            const streamed = await drainStream(client.registry.stream(withFile(file)));
            expect(streamed.parts).toEqual([]);
            expect(streamed.error?.code).toBe('invalid_request');
            expect(client.requests(), 'the vendor should receive nothing').toHaveLength(0);
            const attempts = client.events.map((event) => (event as { attempt?: { status: string; code?: string } }).attempt).filter((attempt) => attempt !== undefined);
            expect(attempts.map(({ status, code }) => ({ status, code }))).toEqual([
              { status: 'skipped', code: 'invalid_request' },
              { status: 'skipped', code: 'invalid_request' },
            ]);
          });
        }
      }
    });

    check('json-schema', 'a JSON response format with a schema reaches the vendor', async () => {
      const client = await harness.client('json-schema');
      harness.emulator.script(client.model, { reply: { text: '{"forecastCity":"Paris","highCelsius":21}' } });
      const result = await client.registry.generate({ ...user('The forecast for Paris, as JSON.'), responseFormat: { type: 'json', schema: FORECAST_SCHEMA, name: 'forecast' } });
      expect(result.attempts).toHaveLength(1);
      const sent = client.requests()[0]?.rawBody.toString('utf8') ?? '';
      for (const property of Object.keys(FORECAST_SCHEMA.properties)) {
        expect(sent, `the request should carry the schema's property ${property}`).toContain(property);
      }
    }, ['jsonSchema']);

    describe('errors', () => {
      for (const errorCase of vendor.errorCases) {
        check('errors', `${errorCase.name} -> ${errorCase.expected.code}`, async () => {
          const client = await harness.client('error');
          harness.emulator.script(client.model, { sequence: [errorCase.fault, errorCase.fault] });
          expectError(await rejection(client.registry.generate(user('Fail, please.'))), errorCase.expected);
          const { parts, error } = await drainStream(client.registry.stream(user('Fail, please.')));
          expect(parts).toEqual([]);
          expect(error, 'the stream should fail').toBeDefined();
          if (error) expectError(error, errorCase.expected);
          expect(client.requests()).toHaveLength(2);
        });
      }
    });

    describe('stream errors', () => {
      for (const errorCase of vendor.streamErrorCases) {
        check('stream-errors', `${errorCase.name} -> ${errorCase.expected.code}`, async () => {
          const client = await harness.client('stream-error');
          harness.emulator.script(client.model, { sequence: [errorCase.fault] });
          const { parts, error } = await drainStream(client.registry.stream(user('Fail mid-stream.')));
          expect(parts).toEqual([]);
          expect(error, 'the stream should fail').toBeDefined();
          if (error) expectError(error, errorCase.expected);
        }, ['streaming']);
      }

      check('stream-errors', 'a connection reset before headers -> connection, retryable', async () => {
        const client = await harness.client('reset');
        harness.emulator.script(client.model, { sequence: [{ kind: 'reset' }, { kind: 'reset' }] });
        expectError(await rejection(client.registry.generate(user('Hello.'))), { code: 'connection', retryable: true });
        const { error } = await drainStream(client.registry.stream(user('Hello.')));
        expect(error).toBeDefined();
        if (error) expectError(error, { code: 'connection', retryable: true });
      });

      check('stream-errors', 'a stream cut before content -> connection, retryable', async () => {
        const client = await harness.client('cut-early');
        harness.emulator.script(client.model, { sequence: [{ kind: 'cut', afterParts: 0 }] });
        const { parts, error } = await drainStream(client.registry.stream(user('Hello.')));
        expect(parts).toEqual([]);
        expect(error).toBeDefined();
        if (error) expectError(error, { code: 'connection', retryable: true });
      }, ['streaming']);

      check('stream-errors', 'malformed stream data -> server, retryable', async () => {
        const client = await harness.client('malformed');
        harness.emulator.script(client.model, { sequence: [{ kind: 'malformed', afterParts: 0 }] });
        const { parts, error } = await drainStream(client.registry.stream(user('Hello.')));
        expect(parts).toEqual([]);
        expect(error).toBeDefined();
        if (error) expectError(error, { code: 'server', retryable: true });
      }, ['streaming']);

      check('stream-errors', 'a stream cut after content -> stream_interrupted, caused by connection', async () => {
        const client = await harness.client('cut-late');
        harness.emulator.script(client.model, { reply: { text: 'This answer will not finish.' }, chunkSize: 4, sequence: [{ kind: 'cut', afterParts: 2 }] });
        const { parts, error } = await drainStream(client.registry.stream(user('Hello.')));
        expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.text).join('')).toBe('This ans');
        expect(error?.code).toBe('stream_interrupted');
        expect((error?.cause as RegError | undefined)?.code).toBe('connection');
      }, ['streaming']);
    });

    check('one-request-per-attempt', 'each attempt is exactly one upstream request (the SDK does not retry)', async () => {
      const single = await harness.client('attempts');
      harness.emulator.script(single.model, { sequence: [{ kind: 'status', status: 500 }, { kind: 'status', status: 503 }] });
      await rejection(single.registry.generate(user('Hello.')));
      const { error } = await drainStream(single.registry.stream(user('Hello.')));
      expect(error?.code).toBe('overloaded');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(single.requests()).toHaveLength(2);

      const retried = await harness.client('attempts-retried', { retry: true });
      harness.emulator.script(retried.model, { sequence: [{ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, 'ok', { kind: 'status', status: 500 }, 'ok'] });
      const result = await retried.registry.generate(user('Hello.'));
      expect(result.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual(['server', 'overloaded', 'success']);
      expect(retried.requests()).toHaveLength(3);
      const streamed = await drainStream(retried.registry.stream(user('Hello.')));
      expect(streamed.error).toBeUndefined();
      expect(retried.requests()).toHaveLength(5);
    });

    check('client-reuse', 'the SDK client is built once and its connection is kept alive', async () => {
      const client = await harness.client('reuse');
      // Node's fetch returns a socket to its pool a tick after the body ends; a call made in the
      // same tick takes another connection. One macrotask between calls avoids that.
      const tick = () => new Promise((resolve) => setImmediate(resolve));
      for (let call = 0; call < 3; call++) {
        await client.registry.generate(user(`Call ${call}.`));
        await tick();
      }
      await drainStream(client.registry.stream(user('A stream.')));
      await tick();
      await client.registry.generate(user('After the stream.'));
      expect(client.modelsBuilt).toBe(1);
      const connectionIds = client.requests().map((request) => request.connectionId);
      expect(connectionIds).toHaveLength(5);
      // Without keep-alive, or with an SDK client (and its pool) built per call, each request
      // opens a connection. A pool shared with earlier checks may hand out two idle ones.
      expect(new Set(connectionIds).size, `requests should reuse kept-alive connections (saw ${connectionIds.join(', ')})`).toBeLessThanOrEqual(2);
    });

    check('abort', 'an abort stops the request in flight, and the vendor sees the connection close', async () => {
      const client = await harness.client('abort');
      harness.emulator.script(client.model, { sequence: [{ kind: 'hang' }] });
      const controller = new AbortController();
      const pending = rejection(client.registry.generate(user('Hello.'), { signal: controller.signal }));
      await until(() => client.requests().length === 1);
      controller.abort();
      expect((await pending).code).toBe('aborted');
      expect(await waitForClientClose(client), 'the upstream request should be closed').toBeDefined();
    });

    check('abort', 'an abort mid-stream ends the stream and closes the upstream request', async () => {
      const client = await harness.client('abort-stream');
      harness.emulator.script(client.model, { reply: { text: 'A long and slow answer.' }, chunkSize: 4, sequence: [{ kind: 'drip', intervalMs: NEVER_MS }] });
      const controller = new AbortController();
      const seen: string[] = [];
      const { error } = await drainStream(
        (async function* () {
          for await (const part of client.registry.stream(user('Hello.'), { signal: controller.signal })) {
            if (part.type === 'text-delta') {
              seen.push(part.text);
              controller.abort();
            }
            yield part;
          }
        })(),
      );
      expect(seen).toEqual(['A lo']);
      expect(error?.code).toBe('aborted');
      expect(await waitForClientClose(client), 'the upstream request should be closed').toBeDefined();
    }, ['streaming']);

    check('request-timeout', 'request_timeout_ms ends a hung attempt with a timeout and closes it', async () => {
      const client = await harness.client('request-timeout', { http: { request_timeout_ms: 300 } });
      harness.emulator.script(client.model, { sequence: [{ kind: 'hang' }] });
      const started = performance.now();
      const error = await rejection(client.registry.generate(user('Hello.')));
      expect(error.code).toBe('timeout');
      expect(timeoutOf(error)).toBe('request_timeout_ms');
      expect(performance.now() - started).toBeLessThan(NEVER_MS);
      expect(await waitForClientClose(client), 'the upstream request should be closed').toBeDefined();
    });

    check('time-to-first-token-timeout', 'time_to_first_token_timeout_ms ends a stream that sends nothing', async () => {
      const client = await harness.client('ttft', { http: { time_to_first_token_timeout_ms: 300 } });
      harness.emulator.script(client.model, { sequence: [{ kind: 'slow-first-token', delayMs: NEVER_MS }] });
      const { parts, error } = await drainStream(client.registry.stream(user('Hello.')));
      expect(parts).toEqual([]);
      expect(error?.code).toBe('timeout');
      expect(timeoutOf(error)).toBe('time_to_first_token_timeout_ms');
      expect(await waitForClientClose(client), 'the upstream request should be closed').toBeDefined();
    }, ['streaming']);

    check('idle-timeout', 'idle_timeout_ms ends a stream that stalls between parts', async () => {
      const client = await harness.client('idle', { http: { idle_timeout_ms: 300 } });
      harness.emulator.script(client.model, { reply: { text: 'Stalls after this.' }, chunkSize: 4, sequence: [{ kind: 'drip', intervalMs: NEVER_MS }] });
      const { parts, error } = await drainStream(client.registry.stream(user('Hello.')));
      expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.text)).toEqual(['Stal']);
      expect(error?.code).toBe('stream_interrupted');
      const cause = error?.cause as RegError | undefined;
      expect(cause?.code).toBe('timeout');
      expect(timeoutOf(cause)).toBe('idle_timeout_ms');
      expect(await waitForClientClose(client), 'the upstream request should be closed').toBeDefined();
    }, ['streaming']);

    check('connect-timeout', 'connect_timeout_ms ends an attempt whose connection never completes', async () => {
      const client = await harness.client('connect', {
        http: { connect_timeout_ms: 250, request_timeout_ms: 10_000 },
        origin: await harness.blackholeOrigin(),
      });
      const started = performance.now();
      const error = await rejection(client.registry.generate(user('Hello.')));
      expect(error.code, error.message).toBe('timeout');
      expect(timeoutOf(error)).toBe('connect_timeout_ms');
      expect(error.retryable).toBe(true);
      expect(performance.now() - started).toBeLessThan(NEVER_MS);
    });

    // A provider that says every connection goes through the registry's guard: prove it with a host
    // name no DNS knows, which only the guard resolves, and with a guard that refuses.
    const host = 'guarded.reg-conformance.test';
    const guardCheck = (title: string, body: () => Promise<void>): void => {
      if (options.provider.guardsConnections === true) check('connection-guard', title, body);
      else it.skip(`${title} (skipped: provider does not declare guardsConnections)`, body);
    };

    guardCheck('connects only through the registry connection guard, to the address it resolved', async () => {
      const asked: string[] = [];
      const client = await harness.client('guard', {
        origin: harness.guardedOrigin(host),
        connectionGuard: {
          resolve: async (hostname) => {
            asked.push(hostname);
            return { address: '127.0.0.1', family: 4 };
          },
        },
      });
      const result = await client.registry.generate(user('Hello.'));
      expect(result.text.length).toBeGreaterThan(0);
      const { error } = await drainStream(client.registry.stream(user('Hello.')));
      expect(error).toBeUndefined();
      expect(asked.length).toBeGreaterThan(0);
      expect(new Set(asked)).toEqual(new Set([host]));
      expect(client.requests()).toHaveLength(2);
    });

    guardCheck('makes no request when the guard refuses the host', async () => {
      const client = await harness.client('guard-refused', {
        origin: harness.guardedOrigin(host),
        connectionGuard: {
          resolve: async (hostname) => {
            throw new Error(`refused ${hostname} by the conformance guard`);
          },
        },
      });
      const error = await rejection(client.registry.generate(user('Hello.')));
      expect(error.code, error.message).toBe('connection');
      expect(client.requests()).toHaveLength(0);
    });

    check('secrets', 'no key, token or signature shows in errors or events', async () => {
      const client = await harness.client('secrets', { http: { request_timeout_ms: 300 } });
      harness.emulator.script(client.model, {
        sequence: [{ kind: 'status', status: 401 }, { kind: 'stream-error', afterParts: 0 }, { kind: 'hang' }, { kind: 'cut', afterParts: 1 }],
      });
      const errors: RegError[] = [await rejection(client.registry.generate(user('Hello.')))];
      for (let call = 0; call < 3; call++) {
        const { error } = await drainStream(client.registry.stream(user('Hello.')));
        if (error) errors.push(error);
      }
      expect(errors).toHaveLength(4);
      const printed = [...errors.map(printedForms), ...client.events.map((event) => inspect(event, { depth: 8 }))].join('\n');
      const secrets = await harness.secrets(client);
      expect(secrets.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        expect(printed.includes(secret), `a secret (${secret.slice(0, 4)}...) was printed`).toBe(false);
      }
    });
  });
}

async function until(condition: () => boolean, withinMs = 2000): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('Timed out waiting for the emulator to receive the request.');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
