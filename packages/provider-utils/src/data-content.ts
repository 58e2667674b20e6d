/**
 * Image and file content as requests carry it (an http(s) URL, a data: URL, raw base64, or bytes),
 * resolved once for every provider: each vendor then takes a URL or base64 with a media type.
 */

/** A part's content: a URL the vendor may fetch itself, or the bytes as base64. */
export type DataContent = { type: 'url'; url: string; mediaType: string | undefined } | { type: 'base64'; base64: string; mediaType: string | undefined };

/** `data:[<media type>][;base64],<data>`; percent-encoded text data is base64-encoded here. */
const DATA_URL = /^data:([^;,]*)((?:;[^;,=]+=[^;,]*)*)(;base64)?,(.*)$/is;

/** A data: URL's media type and its data as base64, or undefined when `text` is not a data: URL. */
export function parseDataUrl(text: string): { mediaType: string | undefined; base64: string } | undefined {
  const match = DATA_URL.exec(text);
  if (!match) return undefined;
  const mediaType = match[1] ? match[1].toLowerCase() : undefined;
  const data = match[4] ?? '';
  return { mediaType, base64: match[3] ? data : Buffer.from(decodeURIComponent(data), 'utf8').toString('base64') };
}

/**
 * Resolves a part's `data` (`image` for image parts) with its stated media type: a URL (http(s),
 * or a storage URL such as `gs://` or `s3://`) stays a URL; a data: URL, raw base64 or bytes become base64, with the media type the part states,
 * else the data: URL's, else the one its first bytes show (undefined when none of these tells).
 */
export function resolveDataContent(data: string | Uint8Array, mediaType?: string): DataContent {
  if (typeof data !== 'string') {
    const base64 = toBase64(data);
    return { type: 'base64', base64, mediaType: mediaType ?? detectMediaType(data) };
  }
  // http(s), and the storage URLs some vendors read (gs://, s3://); base64 never holds '://'.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(data)) return { type: 'url', url: data, mediaType };
  const dataUrl = parseDataUrl(data);
  if (dataUrl) return { type: 'base64', base64: dataUrl.base64, mediaType: mediaType ?? dataUrl.mediaType ?? detectMediaType(dataUrl.base64) };
  return { type: 'base64', base64: data, mediaType: mediaType ?? detectMediaType(data) };
}

/** A data: URL for base64 content. */
export function toDataUrl(content: { base64: string; mediaType: string }): string {
  return `data:${content.mediaType};base64,${content.base64}`;
}

/** The media type without its parameters, lower-cased: `Text/Plain; charset=utf-8` -> `text/plain`. */
export function baseMediaType(mediaType: string): string {
  return mediaType.split(';')[0]!.trim().toLowerCase();
}

/** How many bytes base64 text holds, without decoding it (for a vendor's size limit). */
export function base64ByteLength(base64: string): number {
  let length = base64.length;
  while (length > 0 && base64.charCodeAt(length - 1) === 0x3d) length--; // '=' padding
  return Math.floor((length * 3) / 4);
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/** The first bytes of the formats vendors take. */
const SIGNATURES: ReadonlyArray<{ mediaType: string; bytes: readonly number[]; also?: (bytes: Uint8Array) => boolean }> = [
  { mediaType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { mediaType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mediaType: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  // RIFF....WEBP: the format name sits at bytes 8-11.
  { mediaType: 'image/webp', bytes: [0x52, 0x49, 0x46, 0x46], also: (bytes) => bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50 },
  { mediaType: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46] },
];

/** The media type the content's first bytes show (PNG, JPEG, GIF, WebP, PDF), for bytes or base64. */
export function detectMediaType(data: Uint8Array | string): string | undefined {
  const bytes = typeof data === 'string' ? Buffer.from(data.slice(0, 24), 'base64') : data;
  for (const signature of SIGNATURES) {
    if (signature.bytes.every((byte, index) => bytes[index] === byte) && (signature.also?.(bytes) ?? true)) return signature.mediaType;
  }
  return undefined;
}
