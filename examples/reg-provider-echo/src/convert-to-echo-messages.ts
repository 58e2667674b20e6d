import type { AssistantMessage, FilePart, Message, UserMessage } from '@reg/core';
import { base64ByteLength, baseMediaType, resolveDataContent, UnsupportedPartError } from '@reg/provider-utils';
import { ECHO_FILE_MAX_BYTES, ECHO_FILE_TYPES, type EchoCallPart, type EchoFilePart, type EchoFileType, type EchoImagePart, type EchoTextPart, type EchoTurn } from './echo-api.js';

/**
 * reg's messages as the Echo API's `instructions` (every system message, joined) and `turns`. A
 * file the API would refuse (a type it does not take, more bytes than it reads) fails here, before
 * any request, naming the part (the toolkit's UnsupportedPartError; map-echo-error names the client).
 */
export function convertToEchoMessages(messages: readonly Message[]): { instructions: string | undefined; turns: EchoTurn[] } {
  const system: string[] = [];
  const turns: EchoTurn[] = [];
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index]!;
    switch (message.role) {
      case 'system':
        system.push(typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('\n\n'));
        break;
      case 'user':
        turns.push({ from: 'user', parts: userParts(message.content, index) });
        break;
      case 'assistant':
        turns.push({ from: 'model', parts: modelParts(message.content) });
        break;
      case 'tool':
        turns.push({
          from: 'tool',
          parts: message.content.map((part) => ({
            result: { id: part.toolCallId, tool: part.toolName, value: part.output ?? null, ...(part.isError ? { failed: true } : {}) },
          })),
        });
        break;
    }
  }
  return { instructions: system.length > 0 ? system.join('\n\n') : undefined, turns };
}

function userParts(content: UserMessage['content'], index: number): Array<EchoTextPart | EchoImagePart | EchoFilePart> {
  if (typeof content === 'string') return [{ text: content }];
  return content.map((part, position) => {
    if (part.type === 'text') return { text: part.text };
    if (part.type === 'file') return { file: echoFile(part, `messages[${index}].content[${position}]`) };
    const image = resolveDataContent(part.image, part.mediaType);
    // The API needs a media type with bytes; PNG is what an unlabelled, unrecognised image most likely is.
    return { image: image.type === 'url' ? { url: image.url } : { base64: image.base64, media_type: image.mediaType ?? 'image/png' } };
  });
}

/** A file part in the API's form: base64 (with its name) or a URL the API fetches, which it checks against the limit itself. */
function echoFile(part: FilePart, where: string): EchoFilePart['file'] {
  const mediaType = baseMediaType(part.mediaType);
  if (!isEchoFileType(mediaType)) {
    throw new UnsupportedPartError(`${where} is a file of type ${part.mediaType}; the Echo API takes ${ECHO_FILE_TYPES.join(', ')}.`);
  }
  const data = resolveDataContent(part.data, mediaType);
  if (data.type === 'url') return { url: data.url, media_type: mediaType };
  const bytes = base64ByteLength(data.base64);
  if (bytes > ECHO_FILE_MAX_BYTES) {
    throw new UnsupportedPartError(`${where} is a file of ${bytes} bytes; the Echo API takes at most ${ECHO_FILE_MAX_BYTES} bytes (4 MiB) a file.`);
  }
  return part.filename ? { base64: data.base64, media_type: mediaType, name: part.filename } : { base64: data.base64, media_type: mediaType };
}

function isEchoFileType(mediaType: string): mediaType is EchoFileType {
  return (ECHO_FILE_TYPES as readonly string[]).includes(mediaType);
}

function modelParts(content: AssistantMessage['content']): Array<EchoTextPart | EchoCallPart> {
  if (typeof content === 'string') return [{ text: content }];
  return content.map((part) => (part.type === 'text' ? { text: part.text } : { call: { id: part.toolCallId, tool: part.toolName, args: part.input ?? {} } }));
}
