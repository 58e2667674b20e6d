import { describe, expect, it } from 'vitest';
import { useEmulator } from '../vitest.js';
import { serveOutcome, toolCallsOf, usageOf, type WireFormat } from './serve-outcome.js';
import { splitText } from './stream-frames.js';
import type { VendorRoute } from './types.js';

/** A vendor the emulator does not know: JSON answers, one JSON object a line when streamed. */
const TINY_FORMAT: WireFormat = {
  streamHeaders: { 'content-type': 'application/x-ndjson' },
  headers: () => ({ 'x-tiny-request': 'req-1' }),
  answer: (reply, context) => ({ model: context.model, say: reply.text ?? '', calls: toolCallsOf(reply, 'tiny_'), usage: usageOf(reply, context.request) }),
  stream: (reply, context) => ({
    frames: [
      { data: '{"event":"open"}\n' },
      ...splitText(reply.text ?? '', context.chunkSize).map((text) => ({ data: `${JSON.stringify({ event: 'say', text })}\n`, content: true })),
      { data: '{"event":"end"}\n' },
    ],
    inBandError: (fault) => `${JSON.stringify({ event: 'oops', kind: fault.type ?? 'internal' })}\n`,
    malformed: () => '{"event":"say","text":"unterminated\n',
  }),
  statusError: (fault) => {
    const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
    return { body: { oops: fault.type ?? `status_${fault.status}`, detail: fault.message ?? 'no details' }, headers };
  },
};

const tinyRoutes: VendorRoute[] = [
  {
    vendor: 'tiny',
    method: 'POST',
    // Also a path a built-in vendor serves: custom routes are tried first.
    pattern: /^\/(tiny|v1\/chat\/completions)$/,
    handle: async (exchange) => {
      const body = exchange.request.body as { model: string; stream?: boolean };
      await serveOutcome(exchange, { model: body.model, stream: body.stream === true, format: TINY_FORMAT });
    },
  },
];

const emulator = useEmulator({ routes: tinyRoutes });

async function call(model: string, stream = false, path = '/tiny'): Promise<Response> {
  return fetch(`${emulator.current.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, stream, text: 'hello tiny' }) });
}

describe('custom vendor routes (startEmulator({ routes }) with serveOutcome)', () => {
  it('answers a scripted reply in the custom format and records the request under its vendor', async () => {
    emulator.current.script('tiny-1', { reply: { text: 'Hi there.', toolCalls: [{ name: 'look', arguments: { at: 'sky' } }], usage: { inputTokens: 9, outputTokens: 4 } } });
    const response = await call('tiny-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-tiny-request')).toBe('req-1');
    const body = (await response.json()) as { say: string; calls: Array<{ id: string; name: string; arguments: string }>; usage: unknown };
    expect(body.say).toBe('Hi there.');
    expect(body.calls).toEqual([{ id: expect.stringMatching(/^tiny_[0-9a-f]{16}$/), name: 'look', arguments: '{"at":"sky"}' }]);
    expect(body.usage).toEqual({ inputTokens: 9, outputTokens: 4, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 });
    expect(emulator.current.requests({ vendor: 'tiny' }).map((request) => request.model)).toEqual(['tiny-1']);
    await call('tiny-1', false, '/v1/chat/completions');
    expect(emulator.current.requests({ vendor: 'tiny' })).toHaveLength(2);
  });

  it('hands a route the scripted usage in reg meaning, every part as scripted', async () => {
    const usage = { inputTokens: 1500, outputTokens: 80, cachedInputTokens: 1000, cacheWriteInputTokens: 300, reasoningTokens: 50 };
    emulator.current.script('tiny-usage', { reply: { text: 'Thought.', usage } });
    expect(((await (await call('tiny-usage')).json()) as { usage: unknown }).usage).toEqual(usage);
  });

  it('streams the reply in frames, and the unscripted default echoes the request', async () => {
    emulator.current.script('tiny-2', { reply: { text: 'abcdefgh' }, chunkSize: 3 });
    expect(await (await call('tiny-2', true)).text()).toBe(
      ['{"event":"open"}', '{"event":"say","text":"abc"}', '{"event":"say","text":"def"}', '{"event":"say","text":"gh"}', '{"event":"end"}', ''].join('\n'),
    );
    expect(((await (await call('tiny-unscripted')).json()) as { say: string }).say).toBe('echo: hello tiny');
  });

  it('renders a status fault as the vendor error, with its headers and the fault own', async () => {
    emulator.current.script('tiny-3', { sequence: [{ kind: 'status', status: 429, type: 'slow_down', retryAfterSeconds: 2, headers: { 'x-extra': 'yes' } }] });
    const response = await call('tiny-3');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(response.headers.get('x-tiny-request')).toBe('req-1');
    expect(await response.json()).toEqual({ oops: 'slow_down', detail: 'no details' });
  });

  it('sends the in-band error, the malformed frame and the cut where the script says', async () => {
    emulator.current.script('tiny-4', {
      reply: { text: 'abcdef' },
      chunkSize: 2,
      sequence: [{ kind: 'stream-error', afterParts: 1, type: 'melted' }, { kind: 'malformed', afterParts: 0 }, { kind: 'cut', afterParts: 2 }],
    });
    expect(await (await call('tiny-4', true)).text()).toBe('{"event":"open"}\n{"event":"say","text":"ab"}\n{"event":"oops","kind":"melted"}\n');
    expect(await (await call('tiny-4', true)).text()).toBe('{"event":"open"}\n{"event":"say","text":"unterminated\n');
    const cut = await call('tiny-4', true);
    await expect(cut.text()).rejects.toThrow();
  });

  it('breaks a non-streamed answer for stream faults: stream-error is a 500, malformed is half the JSON, cut drops the connection', async () => {
    emulator.current.script('tiny-5', { sequence: [{ kind: 'stream-error', afterParts: 0 }, { kind: 'malformed', afterParts: 0 }, { kind: 'cut', afterParts: 0 }] });
    const failed = await call('tiny-5');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ oops: 'status_500', detail: 'no details' });
    const malformed = await call('tiny-5');
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow(SyntaxError);
    await expect(call('tiny-5')).rejects.toThrow('fetch failed');
  });
});
