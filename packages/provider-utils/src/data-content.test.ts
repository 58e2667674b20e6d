import { describe, expect, it } from 'vitest';
import { base64ByteLength, baseMediaType, detectMediaType, fromBase64, parseDataUrl, resolveDataContent, toBase64, toDataUrl } from './data-content.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const GIF = new TextEncoder().encode('GIF89a......');
const WEBP = new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ');
const PDF = new TextEncoder().encode('%PDF-1.7\n');

describe('data content', () => {
  it('tells PNG, JPEG, GIF, WebP and PDF by their first bytes, as bytes or base64', () => {
    for (const [bytes, mediaType] of [[PNG, 'image/png'], [JPEG, 'image/jpeg'], [GIF, 'image/gif'], [WEBP, 'image/webp'], [PDF, 'application/pdf']] as const) {
      expect(detectMediaType(bytes)).toBe(mediaType);
      expect(detectMediaType(toBase64(bytes))).toBe(mediaType);
    }
    expect(detectMediaType(new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVEfmt '))).toBeUndefined();
    expect(detectMediaType('aGVsbG8=')).toBeUndefined();
  });

  it('parses data: URLs, base64 or percent-encoded, with or without parameters', () => {
    expect(parseDataUrl(`data:image/png;base64,${toBase64(PNG)}`)).toEqual({ mediaType: 'image/png', base64: toBase64(PNG) });
    expect(parseDataUrl('data:text/plain;charset=utf-8;base64,aGk=')).toEqual({ mediaType: 'text/plain', base64: 'aGk=' });
    expect(parseDataUrl('data:,hello%20world')).toEqual({ mediaType: undefined, base64: Buffer.from('hello world').toString('base64') });
    expect(parseDataUrl('https://example.com/cat.png')).toBeUndefined();
  });

  it('resolves a URL, a data: URL, raw base64 and bytes, the stated media type first', () => {
    expect(resolveDataContent('https://example.com/cat.png')).toEqual({ type: 'url', url: 'https://example.com/cat.png', mediaType: undefined });
    expect(resolveDataContent(toDataUrl({ base64: toBase64(PNG), mediaType: 'image/png' }))).toEqual({ type: 'base64', base64: toBase64(PNG), mediaType: 'image/png' });
    expect(resolveDataContent(toBase64(JPEG))).toEqual({ type: 'base64', base64: toBase64(JPEG), mediaType: 'image/jpeg' });
    expect(resolveDataContent(GIF)).toEqual({ type: 'base64', base64: toBase64(GIF), mediaType: 'image/gif' });
    expect(resolveDataContent(PNG, 'image/x-custom')).toMatchObject({ mediaType: 'image/x-custom' });
    expect(resolveDataContent('aGVsbG8=')).toEqual({ type: 'base64', base64: 'aGVsbG8=', mediaType: undefined });
    expect(fromBase64(toBase64(PDF))).toEqual(PDF);
  });

  it('keeps storage URLs as URLs, and measures base64 and media types without decoding', () => {
    expect(resolveDataContent('gs://bucket/report.pdf', 'application/pdf')).toEqual({ type: 'url', url: 'gs://bucket/report.pdf', mediaType: 'application/pdf' });
    expect(resolveDataContent('s3://bucket/sheet.csv', 'text/csv')).toMatchObject({ type: 'url' });
    for (const size of [0, 1, 2, 3, 4, 1000, 1001]) expect(base64ByteLength(Buffer.alloc(size).toString('base64'))).toBe(size);
    expect(baseMediaType('Text/Plain; charset=utf-8')).toBe('text/plain');
  });
});
