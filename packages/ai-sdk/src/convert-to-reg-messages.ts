import {
  UnsupportedFunctionalityError,
  type LanguageModelV4FilePart,
  type LanguageModelV4TextPart,
  type LanguageModelV4Prompt,
  type LanguageModelV4ToolResultOutput,
  type LanguageModelV4ToolResultPart,
  type SharedV4ProviderOptions,
  type SharedV4Warning,
} from '@ai-sdk/provider';
import type { AssistantMessage, FilePart, ImagePart, Message, ProviderOptions, TextPart, ToolResultPart } from '@reg/core';

/**
 * The AI SDK's prompt as reg messages. What reg requests cannot carry either throws
 * UnsupportedFunctionalityError (user input the model must see) or is dropped with a warning
 * (model output the AI SDK replays, such as reasoning).
 */
export function convertToRegMessages(prompt: LanguageModelV4Prompt, warnings: SharedV4Warning[]): Message[] {
  const messages: Message[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: collapse(withMessageOptions([textPart(message.content, undefined)], message.providerOptions)) });
        break;
      case 'user':
        messages.push({ role: 'user', content: collapse(withMessageOptions(message.content.map(convertUserPart), message.providerOptions)) });
        break;
      case 'assistant': {
        const content: AssistantMessage['content'] = [];
        for (const part of message.content) {
          if (part.type === 'text') content.push(textPart(part.text, part.providerOptions));
          else if (part.type === 'tool-call' && part.providerExecuted !== true) {
            content.push({ type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
          } else if (part.type === 'file') {
            warnings.push({ type: 'unsupported', feature: 'assistant file parts', details: 'reg requests carry no files in assistant messages; the file was left out.' });
          }
          // Reasoning, custom parts and provider-executed tool calls and results only make
          // sense to the vendor that produced them, which a fallback may not reach again.
        }
        if (content.length > 0) messages.push({ role: 'assistant', content: collapse(withMessageOptions(content, message.providerOptions)) });
        break;
      }
      case 'tool': {
        const content: ToolResultPart[] = [];
        for (const part of message.content) {
          if (part.type === 'tool-result') content.push(convertToolResult(part));
        }
        if (content.length > 0) messages.push({ role: 'tool', content });
        break;
      }
    }
  }
  return messages;
}

/**
 * Message-level providerOptions (how AI SDK users mark an Anthropic cache breakpoint) go onto the
 * message's last text, image or file part, as the AI SDK's Anthropic provider reads them; a part's
 * own options win.
 */
function withMessageOptions<Part extends { type: string; providerOptions?: ProviderOptions }>(parts: Part[], options: SharedV4ProviderOptions | undefined): Part[] {
  if (options === undefined) return parts;
  const index = parts.findLastIndex((part) => part.type === 'text' || part.type === 'image' || part.type === 'file');
  const last = parts[index];
  if (last === undefined) return parts;
  const merged = { ...(options as ProviderOptions) };
  for (const [provider, own] of Object.entries(last.providerOptions ?? {})) merged[provider] = { ...merged[provider], ...own };
  return parts.with(index, { ...last, providerOptions: merged });
}

/** A lone plain text part becomes a string, as a hand-written reg request would have it. */
function collapse<Part extends { type: string }>(parts: Part[]): Part[] | string {
  const only = parts.length === 1 ? parts[0] : undefined;
  return only !== undefined && isPlainText(only) ? only.text : parts;
}

function isPlainText(part: { type: string }): part is TextPart {
  return part.type === 'text' && (part as TextPart).providerOptions === undefined;
}

function textPart(text: string, providerOptions: SharedV4ProviderOptions | undefined): TextPart {
  return providerOptions === undefined ? { type: 'text', text } : { type: 'text', text, providerOptions: providerOptions as ProviderOptions };
}

/**
 * A user part as reg's: images stay image parts, any other file (a PDF, audio, a document) becomes
 * a file part with its media type and filename, which each vendor then takes in its own form or
 * refuses before any request. Inline text reads the same to the model as a text part.
 */
function convertUserPart(part: LanguageModelV4TextPart | LanguageModelV4FilePart): TextPart | ImagePart | FilePart {
  if (part.type === 'text') return textPart(part.text, part.providerOptions);
  const { data, mediaType, providerOptions } = part;
  if (data.type === 'text') return textPart(data.text, providerOptions);
  if (data.type === 'reference') {
    throw new UnsupportedFunctionalityError({
      functionality: 'provider file references',
      message: "reg requests cannot name a file uploaded to one vendor (any client of a strategy may answer); pass the file's bytes or a URL.",
    });
  }
  const content = data.type === 'url' ? data.url.href : data.data;
  if (mediaType.startsWith('image')) {
    const image: ImagePart = { type: 'image', image: content };
    // `image` or `image/*` alone says nothing the providers' own sniffing would not find.
    if (/^image\/[^*]+$/.test(mediaType)) image.mediaType = mediaType;
    if (providerOptions !== undefined) image.providerOptions = providerOptions as ProviderOptions;
    return image;
  }
  const file: FilePart = { type: 'file', data: content, mediaType };
  if (part.filename !== undefined) file.filename = part.filename;
  if (providerOptions !== undefined) file.providerOptions = providerOptions as ProviderOptions;
  return file;
}

function convertToolResult(part: LanguageModelV4ToolResultPart): ToolResultPart {
  const result: ToolResultPart = { type: 'tool-result', toolCallId: part.toolCallId, toolName: part.toolName, output: undefined };
  const { output, isError } = convertToolOutput(part.output);
  result.output = output;
  if (isError) result.isError = true;
  return result;
}

function convertToolOutput(output: LanguageModelV4ToolResultOutput): { output: unknown; isError: boolean } {
  switch (output.type) {
    case 'text':
    case 'json':
      return { output: output.value, isError: false };
    case 'error-text':
    case 'error-json':
      return { output: output.value, isError: true };
    case 'execution-denied':
      return { output: output.reason ?? 'Tool execution denied.', isError: true };
    case 'content': {
      const texts: string[] = [];
      for (const item of output.value) {
        if (item.type === 'text') texts.push(item.text);
        else if (item.type === 'file') {
          throw new UnsupportedFunctionalityError({
            functionality: 'files in tool results',
            message: `reg tool results are text or JSON; a tool returned a file (${item.mediaType}). Return its text or a URL instead.`,
          });
        }
      }
      return { output: texts.join('\n'), isError: false };
    }
  }
}
