/**
 * The Echo API's wire format (see the README's protocol section): what the provider sends and
 * reads, and what the emulator routes in `reg-provider-echo/testing` serve. One place, so the two
 * cannot drift apart.
 */

/** `POST {base_url}/replies`. */
export interface EchoReplyRequest {
  model: string;
  /** The system prompt. */
  instructions?: string;
  turns: EchoTurn[];
  tools?: EchoTool[];
  tool_mode?: 'auto' | 'off' | 'must' | { only: string };
  /** Absent for text; `{ type: 'json' }` for any JSON, with `schema` for JSON of that shape. */
  format?: { type: 'json'; schema?: Record<string, unknown> };
  /** Output tokens at most. */
  limit?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  stream: boolean;
  /** Options the provider does not know pass through as they are. */
  [extra: string]: unknown;
}

export type EchoTurn =
  | { from: 'user'; parts: Array<EchoTextPart | EchoImagePart | EchoFilePart> }
  | { from: 'model'; parts: Array<EchoTextPart | EchoCallPart> }
  | { from: 'tool'; parts: EchoResultPart[] };

export interface EchoTextPart {
  text: string;
}

export interface EchoImagePart {
  image: { base64: string; media_type: string } | { url: string };
}

/** A document or audio clip: its bytes as base64 (with an optional name), or a URL the API fetches. */
export interface EchoFilePart {
  file: { base64: string; media_type: EchoFileType; name?: string } | { url: string; media_type: EchoFileType };
}

/** The media types a file part may have. */
export const ECHO_FILE_TYPES = ['application/pdf', 'text/plain', 'audio/wav'] as const;
export type EchoFileType = (typeof ECHO_FILE_TYPES)[number];

/** The most bytes a file may hold (4 MiB, counted before base64), sent or fetched from its URL. */
export const ECHO_FILE_MAX_BYTES = 4 * 1024 * 1024;

export interface EchoCallPart {
  call: { id: string; tool: string; args: unknown };
}

export interface EchoResultPart {
  result: { id: string; tool: string; value: unknown; failed?: boolean };
}

export interface EchoTool {
  name: string;
  about?: string;
  /** JSON Schema of the arguments. */
  args: Record<string, unknown>;
}

/** Why the model stopped. */
export type EchoStop = 'done' | 'limit' | 'tool' | 'blocked';

/**
 * Token counts, each present when any: `in` counts every input token, `cached` (read from the
 * cache) and `cache_written` (written to it) are parts of it; `out` counts every output token,
 * `reasoning` (spent thinking) is part of it.
 */
export interface EchoTokens {
  in: number;
  out: number;
  cached?: number;
  cache_written?: number;
  reasoning?: number;
}

export type EchoOutput = { type: 'text'; text: string } | { type: 'call'; id: string; tool: string; args: unknown };

/** The 200 answer to a call with `stream: false`. */
export interface EchoReply {
  id: string;
  model: string;
  output: EchoOutput[];
  stop: EchoStop;
  tokens: EchoTokens;
}

/** One line of a streamed answer (`stream: true`, `application/x-ndjson`). */
export type EchoStreamLine =
  | { type: 'text'; text: string }
  /** A piece of a tool call's arguments (JSON text); pieces with the same id add up. */
  | { type: 'call'; id: string; tool: string; args: string }
  /** The last line of an answer. */
  | { type: 'done'; stop: EchoStop; tokens: EchoTokens }
  /** The stream failed after the 200; nothing follows. */
  | { type: 'problem'; problem: EchoProblem };

/** What went wrong, in an error answer (`{ problem }`) and in a stream's `problem` line. */
export interface EchoProblem {
  kind: EchoProblemKind | (string & {});
  detail: string;
}

export type EchoProblemKind =
  | 'bad_request'
  | 'context_too_long'
  | 'blocked'
  | 'unauthenticated'
  | 'out_of_credits'
  | 'forbidden'
  | 'unknown_model'
  | 'rate_limited'
  | 'internal'
  | 'overloaded';

/** The status each problem kind comes with. A stream's problem line has none: this says which it would have been. */
export const PROBLEM_STATUS: Readonly<Record<EchoProblemKind, number>> = {
  bad_request: 400,
  context_too_long: 400,
  blocked: 400,
  unauthenticated: 401,
  out_of_credits: 402,
  forbidden: 403,
  unknown_model: 404,
  rate_limited: 429,
  internal: 500,
  overloaded: 503,
};

/** The header the API key goes in. */
export const KEY_HEADER = 'x-echo-key';
