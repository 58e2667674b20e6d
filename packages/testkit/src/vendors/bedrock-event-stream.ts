/**
 * The binary `application/vnd.amazon.eventstream` framing AWS uses for streamed responses:
 *
 *   total length (u32) | headers length (u32) | prelude CRC32 (u32) | headers | payload | message CRC32 (u32)
 *
 * all big-endian; the message CRC covers everything before it, prelude CRC included. The SDK
 * checks both CRCs and the total length before it reads a header.
 */

const PRELUDE_LENGTH = 8;
const CHECKSUM_LENGTH = 4;
/** Prelude, prelude CRC and message CRC. */
const FRAME_OVERHEAD = PRELUDE_LENGTH + CHECKSUM_LENGTH * 2;
const STRING_HEADER_TYPE = 7;

const CRC32_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index++) {
    let value = index;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[index] = value >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, the zlib polynomial), as event-stream messages carry it. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC32_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export interface EventStreamMessage {
  /** Every header the emulator sends is a string (type 7). */
  headers: Record<string, string>;
  payload: Buffer;
}

export function encodeEventStreamMessage(message: { headers: Record<string, string>; payload: string | Buffer }): Buffer {
  const headers = encodeHeaders(message.headers);
  const payload = typeof message.payload === 'string' ? Buffer.from(message.payload, 'utf8') : message.payload;
  const totalLength = FRAME_OVERHEAD + headers.length + payload.length;
  const frame = Buffer.alloc(totalLength);
  frame.writeUInt32BE(totalLength, 0);
  frame.writeUInt32BE(headers.length, 4);
  frame.writeUInt32BE(crc32(frame.subarray(0, PRELUDE_LENGTH)), PRELUDE_LENGTH);
  headers.copy(frame, PRELUDE_LENGTH + CHECKSUM_LENGTH);
  payload.copy(frame, PRELUDE_LENGTH + CHECKSUM_LENGTH + headers.length);
  frame.writeUInt32BE(crc32(frame.subarray(0, totalLength - CHECKSUM_LENGTH)), totalLength - CHECKSUM_LENGTH);
  return frame;
}

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    if (nameBytes.length > 255) throw new Error(`event-stream header name longer than 255 bytes: ${name}`);
    if (valueBytes.length > 32767) throw new Error(`event-stream header value longer than 32767 bytes: ${name}`);
    const head = Buffer.alloc(1 + nameBytes.length + 3);
    head.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(head, 1);
    head.writeUInt8(STRING_HEADER_TYPE, 1 + nameBytes.length);
    head.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    parts.push(head, valueBytes);
  }
  return Buffer.concat(parts);
}

/** An `event` message carrying one member of the operation's event union, as JSON. */
export function encodeEvent(eventType: string, body: unknown): Buffer {
  return encodeEventStreamMessage({
    headers: { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    payload: JSON.stringify(body),
  });
}

/** An `exception` message: the SDK throws the modelled exception named by `:exception-type`. */
export function encodeException(exceptionType: string, body: { message: string } & Record<string, unknown>): Buffer {
  return encodeEventStreamMessage({
    headers: { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' },
    payload: JSON.stringify(body),
  });
}

/** The same message with its trailing CRC flipped, so a conforming decoder must reject it. */
export function corruptMessageChecksum(frame: Buffer): Buffer {
  const corrupted = Buffer.from(frame);
  const offset = corrupted.length - CHECKSUM_LENGTH;
  corrupted.writeUInt32BE((corrupted.readUInt32BE(offset) ^ 0xffffffff) >>> 0, offset);
  return corrupted;
}

/**
 * Splits a byte stream into messages, checking lengths and both CRCs. Only string headers are
 * read (other types raise): it exists so tests can read what the emulator sent.
 */
export function decodeEventStream(bytes: Buffer): EventStreamMessage[] {
  const messages: EventStreamMessage[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < FRAME_OVERHEAD) throw new Error('truncated event-stream message');
    const totalLength = bytes.readUInt32BE(offset);
    const headersLength = bytes.readUInt32BE(offset + 4);
    if (totalLength < FRAME_OVERHEAD + headersLength || offset + totalLength > bytes.length) {
      throw new Error('event-stream message length out of range');
    }
    const frame = bytes.subarray(offset, offset + totalLength);
    if (crc32(frame.subarray(0, PRELUDE_LENGTH)) !== frame.readUInt32BE(PRELUDE_LENGTH)) {
      throw new Error('event-stream prelude checksum mismatch');
    }
    if (crc32(frame.subarray(0, totalLength - CHECKSUM_LENGTH)) !== frame.readUInt32BE(totalLength - CHECKSUM_LENGTH)) {
      throw new Error('event-stream message checksum mismatch');
    }
    const headersStart = PRELUDE_LENGTH + CHECKSUM_LENGTH;
    messages.push({
      headers: decodeHeaders(frame.subarray(headersStart, headersStart + headersLength)),
      payload: Buffer.from(frame.subarray(headersStart + headersLength, totalLength - CHECKSUM_LENGTH)),
    });
    offset += totalLength;
  }
  return messages;
}

function decodeHeaders(bytes: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  let offset = 0;
  while (offset < bytes.length) {
    const nameLength = bytes.readUInt8(offset);
    const name = bytes.toString('utf8', offset + 1, offset + 1 + nameLength);
    offset += 1 + nameLength;
    const type = bytes.readUInt8(offset);
    if (type !== STRING_HEADER_TYPE) throw new Error(`event-stream header ${name} has type ${type}, not string`);
    const valueLength = bytes.readUInt16BE(offset + 1);
    headers[name] = bytes.toString('utf8', offset + 3, offset + 3 + valueLength);
    offset += 3 + valueLength;
  }
  return headers;
}
