import type { Content, Part } from '@google/genai';
import type { FilePart, ImagePart, Message } from '@reg/core';
import { base64ByteLength, baseMediaType, isRecord, resolveDataContent, UnsupportedPartError, type DataContent } from '@reg/provider-utils';
import { describeBytes, type GoogleFileRules } from './google-file-rules.js';
import { GENERATED_CALL_ID_PREFIX } from './map-google-response.js';

/**
 * Gemini knows two roles, `user` and `model`; consecutive messages of one role share one Content.
 * Files and images go as `inlineData` (base64) or `fileData` (a URL the API reads); a file the API
 * cannot take (its type, its size, a `gs://` URI on the Gemini API) throws UnsupportedPartError.
 */
export function convertToGoogleMessages(messages: Message[], files: GoogleFileRules): { contents: Content[]; systemInstruction?: Content } {
  const systemParts: Part[] = [];
  const contents: Content[] = [];
  const push = (role: 'user' | 'model', parts: Part[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts?.push(...parts);
    else contents.push({ role, parts });
  };
  // Base64 characters of inline data so far: the Gemini API limits the whole request's.
  let inlineBase64 = 0;

  for (let index = 0; index < messages.length; index++) {
    const message = messages[index]!;
    switch (message.role) {
      case 'system':
        systemParts.push(...textParts(message.content));
        break;
      case 'user': {
        if (typeof message.content === 'string') {
          push('user', textParts(message.content));
          break;
        }
        const parts: Part[] = [];
        for (let position = 0; position < message.content.length; position++) {
          const part = message.content[position]!;
          if (part.type === 'text') {
            if (part.text.length > 0) parts.push({ text: part.text });
            continue;
          }
          const converted = part.type === 'image' ? imagePart(part, files, index, position) : filePart(part, files, index, position);
          const inline = converted.inlineData?.data?.length;
          if (inline !== undefined && files.maxInlineBase64 !== undefined && (inlineBase64 += inline) > files.maxInlineBase64) {
            throw new UnsupportedPartError(
              `${where(index, position)} brings the request's inline data to ${describeBytes(inlineBase64)} of base64; ${files.api} takes at most ${describeBytes(files.maxInlineBase64)} per request (send large files by URL)`,
            );
          }
          parts.push(converted);
        }
        push('user', parts);
        break;
      }
      case 'assistant':
        push(
          'model',
          typeof message.content === 'string'
            ? textParts(message.content)
            : message.content.flatMap((part): Part[] =>
                part.type === 'text'
                  ? textParts(part.text)
                  : [{ functionCall: { ...vendorId(part.toolCallId), name: part.toolName, args: toArgs(part.input) } }],
              ),
        );
        break;
      case 'tool':
        push(
          'user',
          message.content.map((part) => ({
            functionResponse: {
              ...vendorId(part.toolCallId),
              name: part.toolName,
              response: part.isError ? { error: part.output } : isRecord(part.output) ? part.output : { output: part.output },
            },
          })),
        );
        break;
    }
  }
  return { contents, systemInstruction: systemParts.length > 0 ? { parts: systemParts } : undefined };
}

function where(index: number, position: number): string {
  return `messages[${index}].content[${position}]`;
}

function textParts(content: string | Array<{ type: 'text'; text: string }>): Part[] {
  const texts = typeof content === 'string' ? [content] : content.map((part) => part.text);
  return texts.filter((text) => text.length > 0).map((text) => ({ text }));
}

/** Gemini's ids are echoed back; ids reg made up mean nothing to the API (results match by name). */
function vendorId(toolCallId: string): { id?: string } {
  return toolCallId.startsWith(GENERATED_CALL_ID_PREFIX) ? {} : { id: toolCallId };
}

/** The API carries arguments as a Struct (a JSON object). */
function toArgs(input: unknown): Record<string, unknown> {
  if (isRecord(input)) return input;
  if (typeof input === 'string') {
    try {
      const parsed: unknown = JSON.parse(input);
      if (isRecord(parsed)) return parsed;
    } catch {
      // Not JSON: carried as a value below.
    }
  }
  return input === undefined || input === null ? {} : { value: input };
}

/** Media types of the image files a URL may name, for `fileData`, which needs one. */
const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};

/** Cloud Storage objects, which Vertex AI reads itself like http(s) URLs. */
const CLOUD_STORAGE_URI = /^gs:\/\//i;

/** A URL (http(s), and gs:// where the API reads Cloud Storage) or base64, else the part cannot go. */
function dataContent(data: string | Uint8Array, mediaType: string | undefined, files: GoogleFileRules, index: number, position: number): DataContent {
  const content = resolveDataContent(data, mediaType);
  if (content.type === 'base64' || files.cloudStorage || !CLOUD_STORAGE_URI.test(content.url)) return content;
  throw new UnsupportedPartError(
    `${where(index, position)} is a gs:// URI; ${files.api} reads only http(s) URLs (Files API URIs, public or signed URLs): register the object with the Files API, or use vertex-ai.`,
  );
}

/** URLs as `fileData` the API fetches; data URLs, base64 and bytes inline. */
function imagePart(part: ImagePart, files: GoogleFileRules, index: number, position: number): Part {
  const content = dataContent(part.image, part.mediaType, files, index, position);
  if (content.type === 'base64') return { inlineData: { mimeType: content.mediaType ?? 'image/png', data: content.base64 } };
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(content.url)?.[1]?.toLowerCase();
  return { fileData: { fileUri: content.url, mimeType: content.mediaType ?? (extension && IMAGE_TYPES[extension]) ?? 'image/jpeg' } };
}

/** A document or audio file of a type the API takes, by URL or inline within the API's size for its type. */
function filePart(part: FilePart, files: GoogleFileRules, index: number, position: number): Part {
  // As core compares them: lower case, without parameters (`text/plain; charset=utf-8`).
  const mediaType = baseMediaType(String(part.mediaType));
  if (!files.fileTypeSet.has(mediaType)) {
    throw new UnsupportedPartError(`${where(index, position)} is a file of type ${String(part.mediaType)}; ${files.api} takes ${files.fileTypes.join(', ')}.`);
  }
  const content = dataContent(part.data, mediaType, files, index, position);
  if (content.type === 'url') return { fileData: { fileUri: content.url, mimeType: mediaType } };
  const limit = files.maxDocumentBytes;
  if (limit.mediaTypes.has(mediaType)) {
    const bytes = base64ByteLength(content.base64);
    if (bytes > limit.bytes) {
      throw new UnsupportedPartError(
        `${where(index, position)} is ${limit.what} of ${describeBytes(bytes)}; ${files.api} takes ${limit.what} of at most ${describeBytes(limit.bytes)} (send it by URL).`,
      );
    }
  }
  return { inlineData: { mimeType: mediaType, data: content.base64 } };
}
