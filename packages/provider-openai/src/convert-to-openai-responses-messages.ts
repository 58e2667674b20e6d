import type { FilePart, ImagePart, Message, TextPart } from '@reg/core';
import type OpenAI from 'openai';
import { fileNameOf, resolveOpenAIFile, type FilePartSite, type OpenAIFileRules } from './openai-file-input.js';
import { openAIImageUrl } from './openai-image-url.js';

type InputItem = OpenAI.Responses.ResponseInputItem;
type InputContent = OpenAI.Responses.ResponseInputContent;

/** Who converts and the files the API takes. */
export interface ResponsesConversion {
  /** The client this attempt is for; errors name it. */
  client: string;
  /** The provider name: it selects `request.providerOptions[provider]`; errors name it. */
  provider: string;
  /** The `model` body field; errors name it. */
  model: string;
  files: OpenAIFileRules;
}

/**
 * reg messages to Responses API input items: text and tool calls of one assistant turn stay in
 * their order. A file part the API cannot take fails here, before any request.
 */
export function convertToOpenAIResponsesMessages(messages: Message[], conversion: ResponsesConversion): InputItem[] {
  const items: InputItem[] = [];
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index]!;
    switch (message.role) {
      case 'system':
        items.push({ role: 'system', content: textOf(message.content) });
        break;
      case 'user':
        items.push({
          role: 'user',
          content: typeof message.content === 'string' ? message.content : userContent(message.content, conversion, index),
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

function userContent(content: Array<TextPart | ImagePart | FilePart>, conversion: ResponsesConversion, index: number): InputContent[] {
  return content.map((part, position): InputContent => {
    if (part.type === 'text') return { type: 'input_text', text: part.text };
    if (part.type === 'image') return { type: 'input_image', detail: 'auto', image_url: openAIImageUrl(part) };
    const { client, provider, model } = conversion;
    return inputFile(part, conversion.files, { client, provider, model, messageIndex: index, partIndex: position });
  });
}

/** A document as `input_file`: by URL as `file_url`, else as a data URL in `file_data` with a name. */
function inputFile(part: FilePart, rules: OpenAIFileRules, site: FilePartSite): InputContent {
  const file = resolveOpenAIFile(part, rules, site);
  switch (file.type) {
    case 'url':
      return { type: 'input_file', file_url: file.url, ...(file.filename === undefined ? {} : { filename: file.filename }) };
    case 'document':
      return { type: 'input_file', filename: fileNameOf(file, site.partIndex), file_data: file.dataUrl };
    case 'audio':
      // Unreachable: the provider declares no audio type (the Responses API takes no audio input).
      throw new TypeError(`The Responses API takes no audio (messages[${site.messageIndex}].content[${site.partIndex}]).`);
  }
}

function textOf(content: string | Array<{ text: string }>): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n\n');
}
