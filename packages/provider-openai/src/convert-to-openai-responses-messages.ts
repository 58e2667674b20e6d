import type { Message } from '@reg/core';
import type OpenAI from 'openai';
import { openAIImageUrl } from './openai-image-url.js';

type InputItem = OpenAI.Responses.ResponseInputItem;
type InputContent = OpenAI.Responses.ResponseInputContent;

/** reg messages to Responses API input items: text and tool calls of one assistant turn stay in their order. */
export function convertToOpenAIResponsesMessages(messages: Message[]): InputItem[] {
  const items: InputItem[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        items.push({ role: 'system', content: textOf(message.content) });
        break;
      case 'user':
        items.push({
          role: 'user',
          content:
            typeof message.content === 'string'
              ? message.content
              : message.content.map(
                  (part): InputContent =>
                    part.type === 'text' ? { type: 'input_text', text: part.text } : { type: 'input_image', detail: 'auto', image_url: openAIImageUrl(part) },
                ),
        });
        break;
      case 'assistant':
        if (typeof message.content === 'string') {
          items.push({ role: 'assistant', content: message.content });
          break;
        }
        // Text and tool calls are separate input items in the Responses API; keep their order.
        for (const part of message.content) {
          if (part.type === 'text') items.push({ role: 'assistant', content: part.text });
          else
            items.push({
              type: 'function_call',
              call_id: part.toolCallId,
              name: part.toolName,
              arguments: JSON.stringify(part.input ?? {}),
            });
        }
        break;
      case 'tool':
        for (const part of message.content) {
          items.push({
            type: 'function_call_output',
            call_id: part.toolCallId,
            output: typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null),
          });
        }
        break;
    }
  }
  return items;
}

function textOf(content: string | Array<{ text: string }>): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n\n');
}
