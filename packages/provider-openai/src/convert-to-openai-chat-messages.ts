import type { FilePart, ImagePart, Message, TextPart, ToolCallPart } from '@reg/core';
import type OpenAI from 'openai';
import { fileNameOf, resolveOpenAIFile, type FilePartSite, type OpenAIFileRules } from './openai-file-input.js';
import { openAIImageUrl } from './openai-image-url.js';

type ChatMessage = OpenAI.ChatCompletionMessageParam;
type UserContentPart = OpenAI.ChatCompletionContentPart;

/** What converting messages needs from the model: who it is and the files its API takes. */
export interface ChatConversion {
  /** The provider name: it selects `providerOptions[provider]` (of the request and of parts), and errors name it. */
  provider: string;
  /** The `model` body field; errors name it. */
  model: string;
  files: OpenAIFileRules;
}

/**
 * reg messages to Chat Completions messages. A file part the API cannot take fails here, before
 * any request, naming `client`.
 */
export function convertToOpenAIChatMessages(messages: Message[], conversion: ChatConversion, client: string): ChatMessage[] {
  const converted: ChatMessage[] = [];
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index]!;
    switch (message.role) {
      case 'system':
        converted.push({ role: 'system', content: joinText(message.content) });
        break;
      case 'user':
        converted.push({
          role: 'user',
          content: typeof message.content === 'string' ? message.content : userContent(message.content, conversion, { client, index }),
        });
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

function userContent(
  content: Array<TextPart | ImagePart | FilePart>,
  conversion: ChatConversion,
  message: { client: string; index: number },
): string | UserContentPart[] {
  // A lone text part as a plain string reaches servers that do not know content arrays.
  if (content.length === 1 && content[0]?.type === 'text') return content[0].text;
  return content.map((part, position): UserContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (part.type === 'file') {
      const site = { client: message.client, provider: conversion.provider, model: conversion.model, messageIndex: message.index, partIndex: position };
      return filePart(part, conversion.files, site);
    }
    const detail = part.providerOptions?.[conversion.provider]?.detail;
    const imageUrl: OpenAI.ChatCompletionContentPartImage.ImageURL = { url: openAIImageUrl(part) };
    if (detail === 'auto' || detail === 'low' || detail === 'high') imageUrl.detail = detail;
    return { type: 'image_url', image_url: imageUrl };
  });
}

/** A document as a `file` part (its data URL, or a URL where the API fetches files), audio as `input_audio`. */
function filePart(part: FilePart, rules: OpenAIFileRules, site: FilePartSite): UserContentPart {
  const file = resolveOpenAIFile(part, rules, site);
  switch (file.type) {
    case 'audio':
      // OpenRouter passes formats beyond OpenAI's two (flac, ogg, ...) to the models that take them.
      return { type: 'input_audio', input_audio: { data: file.base64, format: file.format as 'wav' | 'mp3' } };
    case 'url':
      return { type: 'file', file: { ...(file.filename === undefined ? {} : { filename: file.filename }), file_data: file.url } };
    case 'document':
      return { type: 'file', file: { filename: fileNameOf(file, site.partIndex), file_data: file.dataUrl } };
  }
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
