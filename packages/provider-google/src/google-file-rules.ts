/**
 * What each API takes in file parts, as Google documents it (sources in the README's "Files"):
 * the media types of documents and audio, where URLs may point, and the sizes checked before a
 * request. The two APIs differ, so each provider declares its own.
 */
export interface GoogleFileRules {
  /** The API, as messages name it. */
  api: string;
  /** The media types of file parts it takes (lower case, no parameters): `capabilities.fileTypes`. */
  fileTypes: readonly string[];
  /** The same, for lookups. */
  fileTypeSet: ReadonlySet<string>;
  /** Whether `gs://` URIs may go as `fileData` (Vertex AI reads Cloud Storage; the Gemini API does not). */
  cloudStorage: boolean;
  /** The most inline data (base64 characters, images and files together) one request may carry; none when undocumented. */
  maxInlineBase64?: number;
  /** The most bytes of one document of these types, inline. */
  maxDocumentBytes: { mediaTypes: ReadonlySet<string>; bytes: number; what: string };
}

const MIB = 1024 * 1024;

/** `100 MB`, as Google writes its limits (read as MiB, so a file Google takes is never refused here). */
export function describeBytes(bytes: number): string {
  return `${Number((bytes / MIB).toFixed(1))} MB`;
}

function rules(input: Omit<GoogleFileRules, 'fileTypeSet'>): GoogleFileRules {
  return Object.freeze({ ...input, fileTypeSet: new Set(input.fileTypes) });
}

/**
 * The Gemini API: PDFs and text documents (ai.google.dev document-processing) and six audio
 * formats (ai.google.dev audio); inline data up to 100 MB per request, PDFs up to 50 MB
 * (ai.google.dev file-input-methods); URLs are http(s) only (Files API URIs, public or signed URLs).
 */
export const GEMINI_API_FILES: GoogleFileRules = rules({
  api: 'the Gemini API',
  fileTypes: [
    'application/pdf',
    'text/plain',
    'text/html',
    'text/css',
    'text/csv',
    'text/xml',
    'text/rtf',
    'text/md',
    'text/javascript',
    'application/x-javascript',
    'text/x-python',
    'application/x-python',
    'audio/wav',
    'audio/mp3',
    'audio/aiff',
    'audio/aac',
    'audio/ogg',
    'audio/flac',
  ],
  cloudStorage: false,
  maxInlineBase64: 100 * MIB,
  maxDocumentBytes: { mediaTypes: new Set(['application/pdf']), bytes: 50 * MIB, what: 'a PDF' },
});

/**
 * Vertex AI: PDFs and plain text up to 50 MB each (document understanding) and eleven audio types
 * (audio understanding); URLs may be `gs://` or http(s). Its request-wide inline limit differs by
 * model and page, so Vertex AI itself judges the total.
 */
export const VERTEX_AI_FILES: GoogleFileRules = rules({
  api: 'Vertex AI',
  fileTypes: [
    'application/pdf',
    'text/plain',
    'audio/x-aac',
    'audio/flac',
    'audio/mp3',
    'audio/m4a',
    'audio/mpeg',
    'audio/mpga',
    'audio/mp4',
    'audio/ogg',
    'audio/pcm',
    'audio/wav',
    'audio/webm',
  ],
  cloudStorage: true,
  maxDocumentBytes: { mediaTypes: new Set(['application/pdf', 'text/plain']), bytes: 50 * MIB, what: 'a document' },
});
