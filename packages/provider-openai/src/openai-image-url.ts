import type { ImagePart } from '@reg/core';
import { resolveDataContent, toDataUrl } from '@reg/provider-utils';

const DATA_URL = /^data:/i;

/**
 * An image part as both OpenAI APIs take it: an http(s) or data: URL as given; raw base64 or
 * bytes as a data: URL with the part's media type, else the one its bytes show, else JPEG (the API
 * needs one).
 */
export function openAIImageUrl(part: ImagePart): string {
  if (typeof part.image === 'string' && DATA_URL.test(part.image)) return part.image;
  const content = resolveDataContent(part.image, part.mediaType);
  if (content.type === 'url') return content.url;
  return toDataUrl({ base64: content.base64, mediaType: content.mediaType ?? 'image/jpeg' });
}
