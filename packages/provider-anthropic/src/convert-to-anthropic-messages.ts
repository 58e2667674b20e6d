import type {
  ContentBlockParam,
  ImageBlockParam,
  TextBlockParam,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { RegError, type ImagePart, type Message, type ProviderOptions, type TextPart, type ToolResultPart } from '@reg/core';
import { resolveDataContent } from '@reg/provider-utils';
import { PROVIDER_NAME } from './anthropic-provider.js';

type Block = ContentBlockParam;
type Turn = { role: 'user' | 'assistant'; content: string | Block[] };
type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

export interface AnthropicPrompt {
  system: string | TextBlockParam[] | undefined;
  messages: Turn[];
}

/**
 * reg messages -> Messages API `system` and `messages`. System messages move to `system`; tool
 * results become `tool_result` blocks of a user turn; consecutive turns of one role are merged, so
 * the results of parallel tool calls and a following user text share the turn the API expects.
 */
export function convertToAnthropicMessages(messages: readonly Message[]): AnthropicPrompt {
  const system: TextBlockParam[] = [];
  const converted: Turn[] = [];
  const push = (role: 'user' | 'assistant', content: string | Block[]) => {
    const previous = converted.at(-1);
    if (previous?.role !== role) {
      converted.push({ role, content });
      return;
    }
    previous.content = [...asBlocks(previous.content), ...asBlocks(content)];
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        if (typeof message.content === 'string') system.push({ type: 'text', text: message.content });
        else for (const part of message.content) system.push(textBlock(part));
        break;
      case 'user':
        push('user', typeof message.content === 'string' ? message.content : message.content.map((part) => (part.type === 'text' ? textBlock(part) : imageBlock(part))));
        break;
      case 'assistant':
        if (typeof message.content === 'string') {
          if (message.content !== '') push('assistant', message.content);
          break;
        }
        push(
          'assistant',
          message.content.flatMap((part): Block[] => {
            // The API rejects empty text blocks; an empty part carries nothing anyway.
            if (part.type === 'text') return part.text === '' ? [] : [textBlock(part)];
            return [{ type: 'tool_use', id: part.toolCallId, name: part.toolName, input: part.input ?? {} }];
          }),
        );
        break;
      case 'tool':
        push('user', message.content.map(toolResultBlock));
        break;
    }
  }
  return { system: systemParam(system), messages: converted };
}

/** A plain string when nothing needs a block of its own, as most callers and BAML send it. */
function systemParam(blocks: TextBlockParam[]): string | TextBlockParam[] | undefined {
  if (blocks.length === 0) return undefined;
  if (blocks.some((block) => block.cache_control)) return blocks;
  return blocks.map((block) => block.text).join('\n\n');
}

function asBlocks(content: string | Block[]): Block[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** `providerOptions.anthropic.cacheControl` (or `cache_control`) on a part: `{ type: 'ephemeral', ttl?: '5m' | '1h' }`. */
function cacheControl(providerOptions: ProviderOptions | undefined): TextBlockParam['cache_control'] {
  const own = providerOptions?.[PROVIDER_NAME];
  const value = own?.cacheControl ?? own?.cache_control;
  return value === undefined || value === null ? undefined : (value as TextBlockParam['cache_control']);
}

function textBlock(part: TextPart): TextBlockParam {
  const cache = cacheControl(part.providerOptions);
  return cache ? { type: 'text', text: part.text, cache_control: cache } : { type: 'text', text: part.text };
}

function imageBlock(part: ImagePart): ImageBlockParam {
  const cache = cacheControl(part.providerOptions);
  const block: ImageBlockParam = { type: 'image', source: imageSource(part) };
  if (cache) block.cache_control = cache;
  return block;
}

/** URLs go as `url` sources (Anthropic fetches them); everything else as base64 of one of its four image types. */
function imageSource(part: ImagePart): ImageBlockParam['source'] {
  const content = resolveDataContent(part.image, part.mediaType);
  if (content.type === 'url') return { type: 'url', url: content.url };
  return { type: 'base64', media_type: imageMediaType(content.mediaType), data: content.base64 };
}

/** The API takes four image types; base64 without a stated type is recognised by its first bytes. */
function imageMediaType(mediaType: string | undefined): ImageMediaType {
  if (mediaType === 'image/jpeg' || mediaType === 'image/png' || mediaType === 'image/gif' || mediaType === 'image/webp') return mediaType;
  throw new RegError({
    code: 'invalid_request',
    provider: PROVIDER_NAME,
    message: mediaType
      ? `Anthropic accepts image/jpeg, image/png, image/gif and image/webp images, not ${mediaType}.`
      : 'An image part has raw base64 data of an unknown type: set its mediaType (image/jpeg, image/png, image/gif or image/webp).',
  });
}

function toolResultBlock(part: ToolResultPart): ToolResultBlockParam {
  const content = typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null);
  const block: ToolResultBlockParam = { type: 'tool_result', tool_use_id: part.toolCallId, content };
  if (part.isError) block.is_error = true;
  return block;
}
