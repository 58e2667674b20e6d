import type { FilePart, ImagePart, Message, ProviderOptions, ToolResultPart } from '@reg/core';
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
            : message.content.map((part) => {
                if (part.type === 'text') return { type: 'text' as const, text: part.text, ...withOptions(part.providerOptions) };
                return part.type === 'image' ? convertImage(part, specificationVersion) : convertFile(part, specificationVersion);
              }),
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
  const { image, providerOptions } = part;
  const mediaType = part.mediaType ?? (typeof image === 'string' ? undefined : detectMediaType(image));
  return filePart(image, { mediaType, orElse: ANY_IMAGE, specificationVersion, filename: undefined, providerOptions });
}

/**
 * A document or audio file as an AI SDK file part, in the same forms as an image, with its own
 * media type and filename. Which types the vendor takes is the package's to say: it refuses the
 * others with its own error (UnsupportedFunctionalityError) before any request.
 */
function convertFile(part: FilePart, specificationVersion: string): LanguageModelV4FilePart {
  const { data, mediaType, filename, providerOptions } = part;
  return filePart(data, { mediaType, orElse: mediaType, specificationVersion, filename, providerOptions });
}

/** v4 tags the data (`{ type: 'url' | 'data' }`); v2 and v3 take a URL object, base64 or bytes as they are. */
function filePart(
  data: string | Uint8Array,
  input: { mediaType: string | undefined; orElse: string; specificationVersion: string; filename: string | undefined; providerOptions: ProviderOptions | undefined },
): LanguageModelV4FilePart {
  const tagged = input.specificationVersion === 'v4';
  let content: unknown;
  let mediaType = input.mediaType;
  if (typeof data !== 'string') {
    content = tagged ? { type: 'data', data } : data;
  } else {
    const resolved = resolveDataContent(data, mediaType);
    mediaType = resolved.mediaType;
    if (resolved.type === 'url') {
      const url = new URL(resolved.url);
      content = tagged ? { type: 'url', url } : url;
    } else {
      content = tagged ? { type: 'data', data: resolved.base64 } : resolved.base64;
    }
  }
  // v2/v3 data shares the part's shape but not v4's declared type.
  const file: LanguageModelV4FilePart = { type: 'file', data: content as LanguageModelV4FilePart['data'], mediaType: mediaType ?? input.orElse };
  if (input.filename !== undefined) file.filename = input.filename;
  if (input.providerOptions !== undefined) file.providerOptions = input.providerOptions as SharedV4ProviderOptions;
  return file;
}
