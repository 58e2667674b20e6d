import type { AssistantMessage, Message, UserMessage } from '@reg/core';
import { resolveDataContent } from '@reg/provider-utils';
import type { EchoCallPart, EchoImagePart, EchoTextPart, EchoTurn } from './echo-api.js';

/** reg's messages as the Echo API's `instructions` (every system message, joined) and `turns`. */
export function convertToEchoMessages(messages: readonly Message[]): { instructions: string | undefined; turns: EchoTurn[] } {
  const system: string[] = [];
  const turns: EchoTurn[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push(typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('\n\n'));
        break;
      case 'user':
        turns.push({ from: 'user', parts: userParts(message.content) });
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

function userParts(content: UserMessage['content']): Array<EchoTextPart | EchoImagePart> {
  if (typeof content === 'string') return [{ text: content }];
  return content.map((part) => {
    if (part.type === 'text') return { text: part.text };
    const image = resolveDataContent(part.image, part.mediaType);
    // The API needs a media type with bytes; PNG is what an unlabelled, unrecognised image most likely is.
    return { image: image.type === 'url' ? { url: image.url } : { base64: image.base64, media_type: image.mediaType ?? 'image/png' } };
  });
}

function modelParts(content: AssistantMessage['content']): Array<EchoTextPart | EchoCallPart> {
  if (typeof content === 'string') return [{ text: content }];
  return content.map((part) => (part.type === 'text' ? { text: part.text } : { call: { id: part.toolCallId, tool: part.toolName, args: part.input ?? {} } }));
}
