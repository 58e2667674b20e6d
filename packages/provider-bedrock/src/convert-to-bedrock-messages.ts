import type { ContentBlock, DocumentFormat, DocumentSource, ImageFormat, Message, SystemContentBlock, ToolResultContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { RegError, type FilePart, type ImagePart, type Message as RegMessage } from '@reg/core';
import { detectMediaType, isRecord, resolveDataContent, whoFailed } from '@reg/provider-utils';
import { PROVIDER_NAME } from './bedrock-provider.js';

/** Who is asking, for the messages of requests that cannot be sent. */
export interface ConvertContext {
  client: string;
  model: string;
}

/**
 * reg messages to Converse's: system messages go to `system`, tool results to user turns, and
 * consecutive turns of one role merge, since Converse requires alternating roles.
 */
export function convertToBedrockMessages(prompt: readonly RegMessage[], context: ConvertContext): { system: SystemContentBlock[]; messages: Message[] } {
  const system: SystemContentBlock[] = [];
  const messages: Message[] = [];
  // Made on the first file part, so requests without files pay nothing for it.
  let documents: Documents | undefined;
  for (const [index, message] of prompt.entries()) {
    switch (message.role) {
      case 'system':
        if (typeof message.content === 'string') {
          if (message.content !== '') system.push({ text: message.content });
        } else {
          for (const part of message.content) if (part.text !== '') system.push({ text: part.text });
        }
        break;
      case 'user':
        push(
          messages,
          'user',
          typeof message.content === 'string'
            ? textBlocks(message.content)
            : message.content.map((part, position): ContentBlock => {
                if (part.type === 'text') return { text: part.text };
                if (part.type === 'image') return imageBlock(part, index, context);
                return documentBlock(part, { where: `messages[${index}].content[${position}]`, documents: (documents ??= newDocuments()), context });
              }),
        );
        break;
      case 'assistant':
        push(
          messages,
          'assistant',
          typeof message.content === 'string'
            ? textBlocks(message.content)
            : message.content.flatMap((part): ContentBlock[] =>
                part.type === 'text' ? textBlocks(part.text) : [{ toolUse: { toolUseId: part.toolCallId, name: part.toolName, input: toDocument(part.input) } }],
              ),
        );
        break;
      case 'tool':
        push(
          messages,
          'user',
          message.content.map((part) => ({
            toolResult: { toolUseId: part.toolCallId, content: [toolResultContent(part.output)], status: part.isError ? 'error' : 'success' },
          })),
        );
        break;
    }
  }
  if (documents) checkDocumentRules(messages, documents, context);
  return { system, messages };
}

/** Appends a turn, or merges it into the last one when the role repeats (reg's tool messages, consecutive user turns). */
function push(messages: Message[], role: 'user' | 'assistant', content: ContentBlock[]): void {
  if (content.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === role) last.content = [...(last.content ?? []), ...content];
  else messages.push({ role, content });
}

/** The formats Converse takes, by media type. */
const IMAGE_FORMATS: Readonly<Record<string, ImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** Converse takes image bytes and a format; it cannot fetch URLs. */
function imageBlock(part: ImagePart, messageIndex: number, context: ConvertContext): ContentBlock {
  let bytes: Uint8Array;
  let mediaType: string | undefined;
  if (part.image instanceof Uint8Array) {
    bytes = part.image;
    mediaType = part.mediaType ?? detectMediaType(bytes);
  } else {
    const content = resolveDataContent(part.image, part.mediaType);
    if (content.type === 'url') {
      throw invalidRequest(
        `the image in messages[${messageIndex}] is an http(s) URL, which Bedrock Converse does not fetch: download it and pass the bytes (Uint8Array) or base64 with mediaType.`,
        context,
      );
    }
    bytes = Buffer.from(content.base64, 'base64');
    mediaType = content.mediaType;
  }
  const format = mediaType ? IMAGE_FORMATS[mediaType.toLowerCase()] : undefined;
  if (!format) {
    throw invalidRequest(`the image in messages[${messageIndex}] has media type ${mediaType ?? 'unknown'}; Bedrock Converse takes image/png, image/jpeg, image/gif or image/webp.`, context);
  }
  return { image: { format, source: { bytes } } };
}

/**
 * Converse's document formats (its DocumentBlock `format`), by the media type a file part states:
 * the file types the provider declares. Audio is not among them: Converse's `audio` block names
 * no model that takes it (see the README).
 */
const DOCUMENT_FORMATS: Readonly<Record<string, DocumentFormat>> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

export const BEDROCK_FILE_TYPES: readonly string[] = Object.keys(DOCUMENT_FORMATS);

/** Converse's documented limits (Message.content): five documents a message, 4.5 MB each (read as MiB, the larger). */
const MAX_DOCUMENTS_PER_MESSAGE = 5;
const MAX_DOCUMENT_BYTES = 4.5 * 1024 * 1024;
const MAX_NAME_LENGTH = 200;

/** The documents of one request: the names given so far, and where each block came from, for messages. */
interface Documents {
  count: number;
  names: Set<string>;
  where: Map<ContentBlock, string>;
}

function newDocuments(): Documents {
  return { count: 0, names: new Set(), where: new Map() };
}

/** A file part as a Converse document: its format by media type, a name Converse takes, and the bytes or an S3 location. */
function documentBlock(part: FilePart, input: { where: string; documents: Documents; context: ConvertContext }): ContentBlock {
  const { where, documents, context } = input;
  const format = DOCUMENT_FORMATS[part.mediaType.toLowerCase().split(';')[0]!.trim()];
  if (!format) throw invalidRequest(`${where} is a file of type ${part.mediaType}; Bedrock Converse takes ${BEDROCK_FILE_TYPES.join(', ')}.`, context);
  const block: ContentBlock = { document: { format, name: documentName(part.filename, documents), source: documentSource(part, where, context) } };
  documents.where.set(block, where);
  return block;
}

/** Converse takes the bytes or an `s3://` URI (for the models that read S3); it does not fetch http(s) URLs. */
function documentSource(part: FilePart, where: string, context: ConvertContext): DocumentSource {
  if (typeof part.data === 'string' && part.data.startsWith('s3://')) {
    const bucketOwner = part.providerOptions?.[PROVIDER_NAME]?.bucketOwner;
    return { s3Location: { uri: part.data, ...(typeof bucketOwner === 'string' ? { bucketOwner } : {}) } };
  }
  let bytes: Uint8Array;
  if (part.data instanceof Uint8Array) bytes = part.data;
  else {
    const content = resolveDataContent(part.data, part.mediaType);
    if (content.type === 'url') {
      throw invalidRequest(`${where} is an http(s) URL, which Bedrock Converse does not fetch: pass the bytes (Uint8Array), base64, a data: URL or an s3:// URI.`, context);
    }
    bytes = Buffer.from(content.base64, 'base64');
  }
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) {
    throw invalidRequest(`${where} is ${bytes.byteLength} bytes; Bedrock Converse takes documents of at most 4.5 MB (${MAX_DOCUMENT_BYTES} bytes).`, context);
  }
  return { bytes };
}

/**
 * Converse names every document, with letters and digits, single spaces, hyphens, parentheses
 * and square brackets only, 1 to 200 characters (it refuses other names). The name is the part's
 * filename without its folder and extension, accents dropped, each run of other characters made
 * one space; a name left empty is `document-N` (the Nth document of the request), and a name
 * given twice gets ` (2)`, ` (3)`, ... so the model can tell the documents apart.
 */
function documentName(filename: string | undefined, documents: Documents): string {
  documents.count++;
  let base = '';
  if (filename !== undefined) {
    base = filename
      .replace(/^.*[\\/]/, '')
      .replace(/\.[A-Za-z0-9]{1,5}$/, '')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9()[\]-]+/g, ' ')
      .trim()
      .slice(0, MAX_NAME_LENGTH)
      .trimEnd();
  }
  if (base === '') base = `document-${documents.count}`;
  let name = base;
  for (let copy = 2; documents.names.has(name); copy++) {
    const suffix = ` (${copy})`;
    name = base.slice(0, MAX_NAME_LENGTH - suffix.length).trimEnd() + suffix;
  }
  documents.names.add(name);
  return name;
}

/**
 * Converse's rules for the documents of a message (after consecutive user turns merge): at most
 * five, and a text block beside them.
 */
function checkDocumentRules(messages: readonly Message[], documents: Documents, context: ConvertContext): void {
  for (const message of messages) {
    if (message.role !== 'user') continue;
    let count = 0;
    let first: string | undefined;
    let hasText = false;
    for (const block of message.content ?? []) {
      if (block.text !== undefined) hasText = true;
      const where = documents.where.get(block);
      if (where === undefined) continue;
      first ??= where;
      if (++count > MAX_DOCUMENTS_PER_MESSAGE) {
        throw invalidRequest(`${where} is document ${count} of one Bedrock message; Converse takes at most ${MAX_DOCUMENTS_PER_MESSAGE} documents per message.`, context);
      }
    }
    if (first !== undefined && !hasText) {
      throw invalidRequest(`${first} is a document in a message without text; Bedrock Converse requires a text part beside documents (say what to do with them).`, context);
    }
  }
}

function invalidRequest(problem: string, context: ConvertContext): RegError {
  const who = { client: context.client, provider: PROVIDER_NAME, model: context.model };
  return new RegError({ ...who, code: 'invalid_request', retryable: false, message: `${whoFailed(who)} cannot send the request: ${problem}` });
}

function toolResultContent(output: unknown): ToolResultContentBlock {
  if (typeof output === 'string') return { text: output };
  // Converse's json member must be an object; other JSON values travel as their text.
  return isRecord(output) ? { json: toDocument(output) } : { text: JSON.stringify(output) ?? 'null' };
}

/** Converse rejects empty text blocks. */
function textBlocks(text: string): ContentBlock[] {
  return text === '' ? [] : [{ text }];
}

/** The SDK types documents as its own `DocumentType` (from @smithy/types); any JSON value is one. */
type DocumentType = NonNullable<ContentBlock.ToolUseMember['toolUse']['input']>;

export function toDocument(value: unknown): DocumentType {
  return value as DocumentType;
}
