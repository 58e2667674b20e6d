import type { ImagePart, Message, ProviderOptions, ToolResultPart } from '@reg/core';
import type { JSONValue, LanguageModelV4FilePart, LanguageModelV4Prompt, LanguageModelV4ToolResultOutput, SharedV4ProviderOptions } from '@ai-sdk/provider';
import { detectMediaType, resolveDataContent } from '@reg/provider-utils';

/**
 * reg's messages as an AI SDK prompt. `specificationVersion` is the language model's: v4 tags file
 * data (`{ type: 'url' | 'data' }`), v2 and v3 take it raw.
 */
export function convertToAiSdkMessages(messages: Message[], specificationVersion: string): LanguageModelV4Prompt {
  return messages.map((message) => convertMessage(message, specificationVersion));
}

function convertMessage(message: Message, specificationVersion: string): LanguageModelV4Prompt[number] {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('\n') };
    case 'user':
      return {
        role: 'user',
        content:
          typeof message.content === 'string'
            ? [{ type: 'text', text: message.content }]
            : message.content.map((part) =>
                part.type === 'text' ? { type: 'text' as const, text: part.text, ...withOptions(part.providerOptions) } : convertImage(part, specificationVersion),
              ),
      };
    case 'assistant':
      return {
        role: 'assistant',
        content:
          typeof message.content === 'string'
            ? [{ type: 'text', text: message.content }]
            : message.content.map((part) =>
                part.type === 'text'
                  ? { type: 'text' as const, text: part.text, ...withOptions(part.providerOptions) }
                  : { type: 'tool-call' as const, toolCallId: part.toolCallId, toolName: part.toolName, input: part.input ?? {} },
              ),
      };
    case 'tool':
      return {
        role: 'tool',
        content: message.content.map((part) => ({ type: 'tool-result' as const, toolCallId: part.toolCallId, toolName: part.toolName, output: convertToolOutput(part) })),
      };
  }
}

function withOptions(providerOptions: ProviderOptions | undefined): { providerOptions?: SharedV4ProviderOptions } {
  return providerOptions ? { providerOptions: providerOptions as SharedV4ProviderOptions } : {};
}

function convertToolOutput(part: ToolResultPart): LanguageModelV4ToolResultOutput {
  if (typeof part.output === 'string') return { type: part.isError ? 'error-text' : 'text', value: part.output };
  return { type: part.isError ? 'error-json' : 'json', value: (part.output ?? null) as JSONValue };
}

/** What a package gets when neither the part nor its data tells the image's type. */
const ANY_IMAGE = 'image/*';

/**
 * An image as an AI SDK file part: an http(s) URL stays a URL, a data: URL or base64 becomes
 * base64, bytes stay bytes. The media type is the part's, else the data: URL's, else the one its
 * first bytes show, so packages that need a full media type get one.
 */
function convertImage(part: ImagePart, specificationVersion: string): LanguageModelV4FilePart {
  const tagged = specificationVersion === 'v4';
  const extra = withOptions(part.providerOptions);
  const image = part.image;
  if (typeof image !== 'string') return file(tagged ? { type: 'data', data: image } : image, part.mediaType ?? detectMediaType(image) ?? ANY_IMAGE, extra);
  const content = resolveDataContent(image, part.mediaType);
  if (content.type === 'url') {
    const url = new URL(content.url);
    return file(tagged ? { type: 'url', url } : url, content.mediaType ?? ANY_IMAGE, extra);
  }
  return file(tagged ? { type: 'data', data: content.base64 } : content.base64, content.mediaType ?? ANY_IMAGE, extra);
}

function file(data: unknown, mediaType: string, extra: { providerOptions?: SharedV4ProviderOptions }): LanguageModelV4FilePart {
  // v2/v3 data (raw URL, string or bytes) shares the part's shape but not v4's declared type.
  return { type: 'file', data: data as LanguageModelV4FilePart['data'], mediaType, ...extra };
}
