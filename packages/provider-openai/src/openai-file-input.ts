import { RegError, type FilePart } from '@reg/core';
import { base64ByteLength, baseMediaType, resolveDataContent, takesMediaType, whoFailed } from '@reg/provider-utils';

/**
 * OpenAI's limit on file content: "up to 100 pages and 32MB of total content in a single request
 * to the API, across multiple file inputs" (the file inputs guide). A file over it can never be
 * sent, so it fails before the request; the request's total is OpenAI's own to refuse.
 */
export const OPENAI_MAX_FILE_BYTES = 32 * 1024 * 1024;

/** The file parts Chat Completions takes from OpenAI: PDFs as `file` parts, WAV and MP3 as `input_audio`. */
export const OPENAI_CHAT_FILE_TYPES: readonly string[] = ['application/pdf', 'audio/wav', 'audio/x-wav', 'audio/mpeg', 'audio/mp3'];

/**
 * What the Responses API takes as `input_file`, with the extension a file of that type is named
 * with when the part has no filename (OpenAI reads the type from the name): PDFs, text and code,
 * rich documents, presentations and spreadsheets. The Responses API takes no audio input.
 */
const OPENAI_RESPONSES_EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'application/json': 'json',
  'text/html': 'html',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/rtf': 'rtf',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/x-python': 'py',
  'text/javascript': 'js',
  'application/typescript': 'ts',
  'text/x-java': 'java',
  'text/x-c': 'c',
  'text/x-c++': 'cpp',
  'text/x-csharp': 'cs',
  'text/x-php': 'php',
  'text/x-ruby': 'rb',
  'application/x-sh': 'sh',
  'text/css': 'css',
  'text/x-tex': 'tex',
};

export const OPENAI_RESPONSES_FILE_TYPES: readonly string[] = Object.keys(OPENAI_RESPONSES_EXTENSIONS);

/** `input_audio.format` by media type: OpenAI takes `wav` and `mp3`; OpenRouter passes the others to models that take them. */
const AUDIO_FORMATS: Readonly<Record<string, string>> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'audio/ogg': 'ogg',
  'audio/aac': 'aac',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aiff': 'aiff',
  'audio/x-aiff': 'aiff',
};

/** What one API takes in file parts, fixed per provider. */
export interface OpenAIFileRules {
  /** The provider's `capabilities.fileTypes` (wildcards such as `text/*` allowed). */
  readonly types: readonly string[];
  /** Whether a document may go by URL (OpenRouter fetches it); audio never does. */
  readonly urls: boolean;
  /** The most bytes one file may have, checked before the request; undefined: not checked. */
  readonly maxBytes: number | undefined;
}

/** Who sends the part and where it sits, for the error that refuses it. */
export interface FilePartSite {
  client: string;
  provider: string;
  model: string;
  messageIndex: number;
  partIndex: number;
}

/** A file part checked against the API's rules: a URL to pass on, or the data with its format. */
export type OpenAIFile =
  | { type: 'url'; url: string; filename: string | undefined }
  | { type: 'document'; dataUrl: string; mediaType: string; filename: string | undefined }
  | { type: 'audio'; base64: string; format: string };

/**
 * Resolves a file part and checks it as the API would, so that a part it cannot take fails here,
 * before any request: its media type, a URL where the API wants data, and its size.
 */
export function resolveOpenAIFile(part: FilePart, rules: OpenAIFileRules, site: FilePartSite): OpenAIFile {
  const mediaType = baseMediaType(part.mediaType);
  if (!takesMediaType(rules.types, mediaType)) {
    throw fileError(site, `is a file of type ${part.mediaType}; ${site.provider} takes ${rules.types.length ? rules.types.join(', ') : 'no files'}`);
  }
  const content = resolveDataContent(part.data, mediaType);
  const format = mediaType.startsWith('audio/') ? AUDIO_FORMATS[mediaType] : undefined;
  if (mediaType.startsWith('audio/') && format === undefined) {
    throw fileError(site, `is audio of type ${part.mediaType}, which has no input_audio format (${Object.keys(AUDIO_FORMATS).join(', ')})`);
  }
  if (content.type === 'url') {
    if (format !== undefined || !rules.urls) {
      throw fileError(site, `is a URL; ${site.provider} takes ${format === undefined ? 'files' : 'audio'} as data (bytes, base64 or a data: URL), not by URL`);
    }
    return { type: 'url', url: content.url, filename: part.filename };
  }
  if (rules.maxBytes !== undefined) {
    const bytes = base64ByteLength(content.base64);
    if (bytes > rules.maxBytes) throw fileError(site, `is a file of ${sizeOf(bytes)}; ${site.provider} takes files of at most ${sizeOf(rules.maxBytes)}`);
  }
  if (format !== undefined) return { type: 'audio', base64: content.base64, format };
  return { type: 'document', dataUrl: `data:${mediaType};base64,${content.base64}`, mediaType, filename: part.filename };
}

/** The name a document goes by: the part's own, else one whose extension tells the API its type. */
export function fileNameOf(file: { filename: string | undefined; mediaType: string }, partIndex: number): string {
  return file.filename ?? `part-${partIndex}.${OPENAI_RESPONSES_EXTENSIONS[file.mediaType] ?? 'bin'}`;
}

function sizeOf(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes} bytes`;
  const value = bytes / (1024 * 1024);
  return `${Number.isInteger(value) ? value : value.toFixed(1)} MB`;
}

function fileError(site: FilePartSite, problem: string): RegError {
  return new RegError({
    code: 'invalid_request',
    retryable: false,
    message: `${whoFailed(site)} cannot send the request: messages[${site.messageIndex}].content[${site.partIndex}] ${problem}.`,
    client: site.client,
    provider: site.provider,
    model: site.model,
  });
}
