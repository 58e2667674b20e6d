import type { ImagePart, Message, TextPart, ToolCallPart } from '@reg/core';
import type OpenAI from 'openai';
import { openAIImageUrl } from './openai-image-url.js';

type ChatMessage = OpenAI.ChatCompletionMessageParam;
type UserContentPart = OpenAI.ChatCompletionContentPart;

/** reg messages to Chat Completions messages; `provider` selects the per-part provider options to read. */
export function convertToOpenAIChatMessages(messages: Message[], provider: string): ChatMessage[] {
  const converted: ChatMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        converted.push({ role: 'system', content: joinText(message.content) });
        break;
      case 'user':
        converted.push({ role: 'user', content: userContent(message.content, provider) });
        break;
      case 'assistant':
        converted.push(assistantMessage(message.content));
        break;
      case 'tool':
        for (const part of message.content) {
          converted.push({ role: 'tool', tool_call_id: part.toolCallId, content: toolOutput(part.output) });
        }
        break;
    }
  }
  return converted;
}

/** Some compatible servers accept only string content for system messages, so parts are joined. */
function joinText(content: string | TextPart[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n\n');
}

function userContent(content: string | Array<TextPart | ImagePart>, provider: string): string | UserContentPart[] {
  if (typeof content === 'string') return content;
  // A lone text part as a plain string reaches servers that do not know content arrays.
  if (content.length === 1 && content[0]?.type === 'text') return content[0].text;
  return content.map((part): UserContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const detail = part.providerOptions?.[provider]?.detail;
    const imageUrl: OpenAI.ChatCompletionContentPartImage.ImageURL = { url: openAIImageUrl(part) };
    if (detail === 'auto' || detail === 'low' || detail === 'high') imageUrl.detail = detail;
    return { type: 'image_url', image_url: imageUrl };
  });
}

function assistantMessage(content: string | Array<TextPart | ToolCallPart>): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  let text = '';
  const toolCalls: OpenAI.ChatCompletionMessageFunctionToolCall[] = [];
  for (const part of content) {
    if (part.type === 'text') text += part.text;
    else {
      toolCalls.push({
        id: part.toolCallId,
        type: 'function',
        function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) },
      });
    }
  }
  return toolCalls.length ? { role: 'assistant', content: text, tool_calls: toolCalls } : { role: 'assistant', content: text };
}

function toolOutput(output: unknown): string {
  return typeof output === 'string' ? output : JSON.stringify(output ?? null);
}
