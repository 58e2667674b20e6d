import type {
  ContentBlockParam,
  DocumentBlockParam,
  ImageBlockParam,
  TextBlockParam,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { FilePart, ImagePart, Message, ProviderOptions, TextPart, ToolResultPart } from '@reg/core';
import { resolveDataContent, UnsupportedPartError } from '@reg/provider-utils';
import { ANTHROPIC_FILE_TYPES } from './anthropic-options.js';
import { PROVIDER_NAME } from './anthropic-provider.js';

type Block = ContentBlockParam;
type Turn = { role: 'user' | 'assistant'; content: string | Block[] };
type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

/**
 * The Messages API's request limit (PDF support: "Maximum request size: 32 MB"; errors:
 * `request_too_large`, 413). Base64 and document text count as sent; reg reads MB as MiB so that it
 * never refuses what the API takes. The page limit (600 pages a request, 100 on models with a
 * 200k-token context window) cannot be counted without parsing the PDF; the API's 400 says so.
 */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

export interface AnthropicPrompt {
  system: string | TextBlockParam[] | undefined;
  messages: Turn[];
}

/**
 * reg messages -> Messages API `system` and `messages`. System messages move to `system`; tool
 * results become `tool_result` blocks of a user turn; consecutive turns of one role are merged, so
 * the results of parallel tool calls and a following user text share the turn the API expects.
 */
export function convertToAnthropicMessages(messages: readonly Message[]): AnthropicPrompt {
  const system: TextBlockParam[] = [];
  const converted: Turn[] = [];
  const push = (role: 'user' | 'assistant', content: string | Block[]) => {
    const previous = converted.at(-1);
    if (previous?.role !== role) {
      converted.push({ role, content });
      return;
    }
    previous.content = [...asBlocks(previous.content), ...asBlocks(content)];
  };

  // Base64 and document text in the body so far, against the API's request limit.
  let inlineBytes = 0;
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index]!;
    switch (message.role) {
      case 'system':
        if (typeof message.content === 'string') system.push({ type: 'text', text: message.content });
        else for (const part of message.content) system.push(textBlock(part));
        break;
      case 'user':
        if (typeof message.content === 'string') {
          push('user', message.content);
          break;
        }
        push(
          'user',
          message.content.map((part, position): Block => {
            if (part.type === 'text') return textBlock(part);
            try {
              const block = part.type === 'image' ? imageBlock(part) : documentBlock(part);
              inlineBytes += inlineSize(block);
              if (inlineBytes > MAX_REQUEST_BYTES) throw tooLarge(part, inlineBytes);
              return block;
            } catch (error) {
              throw error instanceof UnsupportedPartError ? error.at(index, position) : error;
            }
          }),
        );
        break;
      case 'assistant':
        if (typeof message.content === 'string') {
          if (message.content !== '') push('assistant', message.content);
          break;
        }
        push(
          'assistant',
          message.content.flatMap((part): Block[] => {
            // The API rejects empty text blocks; an empty part carries nothing anyway.
            if (part.type === 'text') return part.text === '' ? [] : [textBlock(part)];
            return [{ type: 'tool_use', id: part.toolCallId, name: part.toolName, input: part.input ?? {} }];
          }),
        );
        break;
      case 'tool':
        push('user', message.content.map(toolResultBlock));
        break;
    }
  }
  return { system: systemParam(system), messages: converted };
}

/** A plain string when nothing needs a block of its own, as most callers and BAML send it. */
function systemParam(blocks: TextBlockParam[]): string | TextBlockParam[] | undefined {
  if (blocks.length === 0) return undefined;
  if (blocks.some((block) => block.cache_control)) return blocks;
  return blocks.map((block) => block.text).join('\n\n');
}

function asBlocks(content: string | Block[]): Block[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** `providerOptions.anthropic.cacheControl` (or `cache_control`) on a part: `{ type: 'ephemeral', ttl?: '5m' | '1h' }`. */
function cacheControl(providerOptions: ProviderOptions | undefined): TextBlockParam['cache_control'] {
  const own = providerOptions?.[PROVIDER_NAME];
  const value = own?.cacheControl ?? own?.cache_control;
  return value === undefined || value === null ? undefined : (value as TextBlockParam['cache_control']);
}

function textBlock(part: TextPart): TextBlockParam {
  const cache = cacheControl(part.providerOptions);
  return cache ? { type: 'text', text: part.text, cache_control: cache } : { type: 'text', text: part.text };
}

function imageBlock(part: ImagePart): ImageBlockParam {
  const cache = cacheControl(part.providerOptions);
  const block: ImageBlockParam = { type: 'image', source: imageSource(part) };
  if (cache) block.cache_control = cache;
  return block;
}

/** URLs go as `url` sources (Anthropic fetches them); everything else as base64 of one of its four image types. */
function imageSource(part: ImagePart): ImageBlockParam['source'] {
  const content = resolveDataContent(part.image, part.mediaType);
  if (content.type === 'url') return { type: 'url', url: content.url };
  return { type: 'base64', media_type: imageMediaType(content.mediaType), data: content.base64 };
}

/** The API takes four image types; base64 without a stated type is recognised by its first bytes. */
function imageMediaType(mediaType: string | undefined): ImageMediaType {
  if (mediaType === 'image/jpeg' || mediaType === 'image/png' || mediaType === 'image/gif' || mediaType === 'image/webp') return mediaType;
  throw new UnsupportedPartError(
    mediaType
      ? `is an image of type ${mediaType}; Anthropic takes image/jpeg, image/png, image/gif and image/webp images.`
      : 'is an image of raw base64 data of an unknown type: set its mediaType (image/jpeg, image/png, image/gif or image/webp).',
  );
}

/**
 * A file part as a `document` block: a PDF as base64 or by URL (Anthropic fetches it), plain text as
 * its text (the API takes no URL for it). `filename` becomes the document's `title`;
 * `providerOptions.anthropic` may set `title`, `context`, `citations` and `cacheControl`.
 */
function documentBlock(part: FilePart): DocumentBlockParam {
  const mediaType = part.mediaType.split(';')[0]!.trim().toLowerCase();
  const block: DocumentBlockParam = { type: 'document', source: documentSource(part, mediaType) };
  const own = part.providerOptions?.[PROVIDER_NAME];
  const title = own?.title ?? part.filename;
  if (typeof title === 'string' && title !== '') block.title = title;
  if (typeof own?.context === 'string') block.context = own.context;
  if (own?.citations !== undefined) block.citations = own.citations as DocumentBlockParam['citations'];
  const cache = cacheControl(part.providerOptions);
  if (cache) block.cache_control = cache;
  return block;
}

function documentSource(part: FilePart, mediaType: string): DocumentBlockParam['source'] {
  if (mediaType === 'application/pdf') {
    const content = resolveDataContent(part.data, mediaType);
    return content.type === 'url' ? { type: 'url', url: content.url } : { type: 'base64', media_type: 'application/pdf', data: content.base64 };
  }
  if (mediaType === 'text/plain') return { type: 'text', media_type: 'text/plain', data: plainText(part.data) };
  throw new UnsupportedPartError(`is a file of type ${part.mediaType}; Anthropic takes ${ANTHROPIC_FILE_TYPES.join(' and ')} documents.`);
}

/** A text document's characters, read as UTF-8 from bytes, a data: URL or raw base64. */
function plainText(data: string | Uint8Array): string {
  if (typeof data !== 'string') return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  const content = resolveDataContent(data, 'text/plain');
  if (content.type === 'url') {
    throw new UnsupportedPartError('is a text/plain file given by URL; Anthropic fetches only PDFs: send the text itself (bytes, base64 or a data: URL).');
  }
  return Buffer.from(content.base64, 'base64').toString('utf8');
}

/** What a block adds to the body: base64 as it is, document text as UTF-8, a URL nothing worth counting. */
function inlineSize(block: ImageBlockParam | DocumentBlockParam): number {
  const source = block.source;
  if (source.type === 'base64') return source.data.length;
  if (source.type === 'text') return Buffer.byteLength(source.data);
  return 0;
}

function tooLarge(part: ImagePart | FilePart, bytes: number): UnsupportedPartError {
  const what = part.type === 'image' ? 'an image' : `a file of type ${part.mediaType}`;
  return new UnsupportedPartError(
    `(${what}) takes the images and files of the request to ${bytes} bytes as sent, past the 32 MB (${MAX_REQUEST_BYTES} bytes) that Anthropic takes in one request: send a PDF by URL, or split the document.`,
  );
}

function toolResultBlock(part: ToolResultPart): ToolResultBlockParam {
  const content = typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null);
  const block: ToolResultBlockParam = { type: 'tool_result', tool_use_id: part.toolCallId, content };
  if (part.isError) block.is_error = true;
  return block;
}
