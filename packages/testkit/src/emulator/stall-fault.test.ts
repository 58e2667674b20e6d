import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../index.js';
import { useEmulator } from '../vitest.js';
import type { RecordedRequest } from './types.js';

/** Long enough to tell "the emulator stopped sending" from "the next part is on its way". */
const QUIET_MS = 300;

const emulator = useEmulator();
let openai: OpenAI;
let anthropic: Anthropic;
let bedrock: BedrockRuntimeClient;

beforeAll(() => {
  openai = new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: emulator.current.baseUrls.openai, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: TEST_CREDENTIALS.anthropic, baseURL: emulator.current.baseUrls.anthropic, maxRetries: 0 });
  bedrock = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: emulator.current.baseUrls.bedrock, credentials: TEST_CREDENTIALS.aws, maxAttempts: 1 });
});
afterAll(() => bedrock.destroy());

const STALL = { reply: { text: 'abcdefghijklmnop' }, chunkSize: 4, sequence: [{ kind: 'stall' as const, afterParts: 2 }] };

/** Reads `stream` until nothing arrives for QUIET_MS, then aborts; returns the text seen before the silence. */
async function readUntilQuiet<T>(stream: AsyncIterable<T>, textOf: (item: T) => string, controller: AbortController) {
  let text = '';
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(quiet);
    quiet = setTimeout(() => controller.abort(), QUIET_MS);
  };
  arm();
  let error: unknown;
  try {
    for await (const item of stream) {
      text += textOf(item);
      arm();
    }
  } catch (caught) {
    error = caught;
  } finally {
    clearTimeout(quiet);
  }
  return { text, error, aborted: controller.signal.aborted };
}

async function closedRequest(model: string): Promise<RecordedRequest> {
  const deadline = performance.now() + 2_000;
  for (;;) {
    const [request] = emulator.current.requests({ model });
    if (request?.clientClosedAt !== undefined || performance.now() > deadline) {
      expect(request?.clientClosedAt, 'the emulator should see the client close the stalled request').toBeDefined();
      return request!;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('stall fault', () => {
  it('sends afterParts content parts, then keeps an OpenAI stream open and silent until the client leaves', async () => {
    emulator.current.script('gpt-stall', STALL);
    const controller = new AbortController();
    const stream = await openai.chat.completions.create(
      { model: 'gpt-stall', messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { signal: controller.signal },
    );
    const seen = await readUntilQuiet(stream, (chunk) => chunk.choices[0]?.delta.content ?? '', controller);
    expect(seen.text).toBe('abcdefgh');
    expect(seen.aborted, 'the stream neither ended nor failed on its own').toBe(true);
    const request = await closedRequest('gpt-stall');
    expect(request.clientClosedAt! - request.receivedAt).toBeGreaterThanOrEqual(QUIET_MS);
  });

  it('stalls an Anthropic stream after its content parts', async () => {
    emulator.current.script('claude-stall', STALL);
    const controller = new AbortController();
    const stream = await anthropic.messages.create(
      { model: 'claude-stall', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { signal: controller.signal },
    );
    const seen = await readUntilQuiet(stream, (event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : ''), controller);
    expect(seen.text).toBe('abcdefgh');
    expect(seen.aborted).toBe(true);
    await closedRequest('claude-stall');
  });

  it('stalls an HTTP/2 Bedrock event stream after its content parts', async () => {
    emulator.current.script('bedrock-stall', STALL);
    const controller = new AbortController();
    const response = await bedrock.send(new ConverseStreamCommand({ modelId: 'bedrock-stall', messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }), {
      abortSignal: controller.signal,
    });
    const seen = await readUntilQuiet(response.stream!, (event) => event.contentBlockDelta?.delta?.text ?? '', controller);
    expect(seen.text).toBe('abcdefgh');
    expect(seen.aborted).toBe(true);
    const request = await closedRequest('bedrock-stall');
    expect(request.httpVersion).toBe('2.0');
  });

  it('stalls before the first part with afterParts 0', async () => {
    emulator.current.script('gpt-stall-0', { ...STALL, sequence: [{ kind: 'stall', afterParts: 0 }] });
    const controller = new AbortController();
    const stream = await openai.chat.completions.create(
      { model: 'gpt-stall-0', messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { signal: controller.signal },
    );
    const seen = await readUntilQuiet(stream, (chunk) => chunk.choices[0]?.delta.content ?? '', controller);
    expect(seen.text).toBe('');
    expect(seen.aborted).toBe(true);
    await closedRequest('gpt-stall-0');
  });

  it('answers a non-streamed call with 200 headers and then no body', async () => {
    emulator.current.script('gpt-stall-json', STALL);
    const controller = new AbortController();
    const response = await openai.chat.completions
      .create({ model: 'gpt-stall-json', messages: [{ role: 'user', content: 'Hi' }] }, { signal: controller.signal })
      .asResponse();
    expect(response.status).toBe(200);
    const body = response.text().then(
      (text) => ({ text }),
      (error: unknown) => ({ error }),
    );
    const settled = await Promise.race([body, new Promise((resolve) => setTimeout(() => resolve('still waiting'), QUIET_MS))]);
    expect(settled).toBe('still waiting');
    controller.abort();
    expect(await body).toHaveProperty('error');
    await closedRequest('gpt-stall-json');
  });

  it('is used up by one call like any other outcome', async () => {
    emulator.current.script('gpt-stall-once', STALL);
    const controller = new AbortController();
    const stalled = await openai.chat.completions.create(
      { model: 'gpt-stall-once', messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { signal: controller.signal },
    );
    await readUntilQuiet(stalled, (chunk) => chunk.choices[0]?.delta.content ?? '', controller);
    let text = '';
    for await (const chunk of await openai.chat.completions.create({ model: 'gpt-stall-once', messages: [{ role: 'user', content: 'Hi' }], stream: true })) {
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('abcdefghijklmnop');
  });
});
