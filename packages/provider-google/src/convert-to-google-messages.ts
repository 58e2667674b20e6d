import type { Content, Part } from '@google/genai';
import type { ImagePart, Message } from '@reg/core';
import { isRecord, resolveDataContent } from '@reg/provider-utils';
import { GENERATED_CALL_ID_PREFIX } from './map-google-response.js';

/** Gemini knows two roles, `user` and `model`; consecutive messages of one role share one Content. */
export function convertToGoogleMessages(messages: Message[]): { contents: Content[]; systemInstruction?: Content } {
  const systemParts: Part[] = [];
  const contents: Content[] = [];
  const push = (role: 'user' | 'model', parts: Part[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts?.push(...parts);
    else contents.push({ role, parts });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        systemParts.push(...textParts(message.content));
        break;
      case 'user':
        push(
          'user',
          typeof message.content === 'string'
            ? textParts(message.content)
            : message.content.flatMap((part) => (part.type === 'text' ? textParts(part.text) : [imagePart(part)])),
        );
        break;
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

/** Cloud Storage objects Gemini reads itself, like http(s) URLs. */
const GCS_URL = /^gs:\/\//i;

/** URLs (http(s) and gs://) as `fileData` the API fetches; data URLs, base64 and bytes inline. */
function imagePart(part: ImagePart): Part {
  const content = typeof part.image === 'string' && GCS_URL.test(part.image) ? { type: 'url' as const, url: part.image, mediaType: part.mediaType } : resolveDataContent(part.image, part.mediaType);
  if (content.type === 'base64') return { inlineData: { mimeType: content.mediaType ?? 'image/png', data: content.base64 } };
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(content.url)?.[1]?.toLowerCase();
  return { fileData: { fileUri: content.url, mimeType: content.mediaType ?? (extension && IMAGE_TYPES[extension]) ?? 'image/jpeg' } };
}
