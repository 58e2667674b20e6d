import type { ContentBlock, ImageFormat, Message, SystemContentBlock, ToolResultContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { RegError, type ImagePart, type Message as RegMessage } from '@reg/core';
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
            : message.content.map((part) => (part.type === 'text' ? { text: part.text } : imageBlock(part, index, context))),
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
      throw imageError(
        `the image in messages[${messageIndex}] is an http(s) URL, which Bedrock Converse does not fetch: download it and pass the bytes (Uint8Array) or base64 with mediaType.`,
        context,
      );
    }
    bytes = Buffer.from(content.base64, 'base64');
    mediaType = content.mediaType;
  }
  const format = mediaType ? IMAGE_FORMATS[mediaType.toLowerCase()] : undefined;
  if (!format) {
    throw imageError(`the image in messages[${messageIndex}] has media type ${mediaType ?? 'unknown'}; Bedrock Converse takes image/png, image/jpeg, image/gif or image/webp.`, context);
  }
  return { image: { format, source: { bytes } } };
}

function imageError(problem: string, context: ConvertContext): RegError {
  const who = { client: context.client, provider: PROVIDER_NAME, model: context.model };
  return new RegError({ ...who, code: 'invalid_request', retryable: false, message: `${whoFailed(who)}: ${problem}` });
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
