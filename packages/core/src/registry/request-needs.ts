import { takesMediaType, type ChatRequest, type ProviderCapabilities } from '../spec.js';

/**
 * What in `request` a provider cannot take, by what it declares (a sentence naming the part and
 * what the provider takes), or undefined when it can take all of it. A provider that declares no
 * capabilities is not checked: nothing is known about it.
 */
export function unsupportedNeed(request: ChatRequest, capabilities: Readonly<Partial<ProviderCapabilities>> | undefined): string | undefined {
  if (!capabilities) return undefined;
  if (request.tools && request.tools.length > 0 && capabilities.tools !== true) return 'the request defines tools, and the provider takes none';
  if (request.responseFormat?.type === 'json' && request.responseFormat.schema && capabilities.jsonSchema !== true) {
    return 'the request asks for JSON of a schema, and the provider takes no schema';
  }
  const fileTypes = capabilities.fileTypes ?? [];
  for (const [index, message] of request.messages.entries()) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const [position, part] of message.content.entries()) {
      const where = `messages[${index}].content[${position}]`;
      if (part.type === 'image' && capabilities.images !== true) return `${where} is an image, and the provider takes none`;
      if (part.type === 'file' && !takesMediaType(fileTypes, part.mediaType)) {
        const takes = fileTypes.length > 0 ? `it takes ${fileTypes.join(', ')}` : 'it takes no files';
        return `${where} is a file of type ${String(part.mediaType)}; ${takes}`;
      }
    }
  }
  return undefined;
}
