import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { corruptMessageChecksum, crc32, decodeEventStream, encodeEvent, encodeEventStreamMessage, encodeException } from './bedrock-event-stream.js';

interface SmithyHeader {
  type: string;
  value: unknown;
}
interface SmithyCodec {
  decode(message: Uint8Array): { headers: Record<string, SmithyHeader>; body: Uint8Array };
  encode(message: { headers: Record<string, SmithyHeader>; body: Uint8Array }): Uint8Array;
}

// The SDK's own codec, reached through the SDK's dependencies (pnpm does not hoist it to us).
const requireFromSdk = createRequire(createRequire(import.meta.url).resolve('@aws-sdk/client-bedrock-runtime'));
const { EventStreamCodec } = requireFromSdk('@smithy/core/event-streams') as {
  EventStreamCodec: new (toUtf8: (bytes: Uint8Array) => string, fromUtf8: (text: string) => Uint8Array) => SmithyCodec;
};
const sdkCodec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

describe('crc32', () => {
  test('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});

describe('bedrock event-stream encoder', () => {
  test('an event decodes with the SDK codec: string headers and the JSON payload', () => {
    const frame = encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi ✓' }, p: 'abc' });
    const decoded = sdkCodec.decode(frame);
    expect(decoded.headers).toEqual({
      ':event-type': { type: 'string', value: 'contentBlockDelta' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    });
    expect(JSON.parse(Buffer.from(decoded.body).toString('utf8'))).toEqual({ contentBlockIndex: 0, delta: { text: 'Hi ✓' }, p: 'abc' });
    expect(frame.readUInt32BE(0)).toBe(frame.length);
  });

  test('an exception carries :exception-type and :message-type exception', () => {
    const decoded = sdkCodec.decode(encodeException('throttlingException', { message: 'slow down' }));
    expect(decoded.headers[':message-type']?.value).toBe('exception');
    expect(decoded.headers[':exception-type']?.value).toBe('throttlingException');
    expect(JSON.parse(Buffer.from(decoded.body).toString('utf8'))).toEqual({ message: 'slow down' });
  });

  test('is byte-identical to the SDK encoder for string headers', () => {
    const headers = { ':event-type': 'messageStop', ':content-type': 'application/json', ':message-type': 'event' };
    const payload = Buffer.from('{"stopReason":"end_turn"}');
    const ours = encodeEventStreamMessage({ headers, payload });
    const theirs = sdkCodec.encode({
      headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { type: 'string', value }])),
      body: payload,
    });
    expect(ours.equals(Buffer.from(theirs))).toBe(true);
  });

  test('a corrupted checksum is rejected by the SDK codec and by our decoder', () => {
    const frame = corruptMessageChecksum(encodeEvent('messageStart', { role: 'assistant' }));
    expect(() => sdkCodec.decode(frame)).toThrow(/checksum/);
    expect(() => decodeEventStream(frame)).toThrow(/checksum/);
  });

  test('our decoder splits concatenated messages and reads what the SDK encodes', () => {
    const first = Buffer.from(
      sdkCodec.encode({ headers: { ':event-type': { type: 'string', value: 'messageStart' } }, body: Buffer.from('{"role":"assistant"}') }),
    );
    const second = encodeEvent('messageStop', { stopReason: 'end_turn' });
    const messages = decodeEventStream(Buffer.concat([first, second]));
    expect(messages.map((message) => message.headers[':event-type'])).toEqual(['messageStart', 'messageStop']);
    expect(JSON.parse(messages[0]!.payload.toString('utf8'))).toEqual({ role: 'assistant' });
    expect(() => decodeEventStream(second.subarray(0, second.length - 1))).toThrow(/length/);
  });
});
