/**
 * The provider contract, whole. A provider package exports definitions made with
 * `defineProvider`; the registry finds them by `name` and calls them like this:
 *
 *   parseOptions(raw, context)  once per client, when the client is first used: validate the
 *                               client's `options` and return the typed form (throw ConfigError).
 *   createModel(options, ctx)   once per distinct options: build the vendor SDK client and
 *                               return a ChatModel. Read credentials here, not at import.
 *   model.doGenerate(request, call) / model.doStream(request, call)
 *                               once per attempt. Make exactly one upstream request with the
 *                               SDK's own retries off, honour `call.signal`, and throw RegError
 *                               (from your one map-<vendor>-error.ts) when it fails.
 *
 * | member            | required | what it is                                                     |
 * |-------------------|----------|----------------------------------------------------------------|
 * | name              | yes      | the provider name a config uses (`anthropic`)                  |
 * | parseOptions      | yes      | raw client options -> typed options; ConfigError naming option |
 * | createModel       | yes      | typed options -> ChatModel; built once, reused                 |
 * | requiresModel     | no       | false when a client may omit `model` (default true)            |
 * | shorthandOptions  | no       | options for the `provider/model` shorthand (default `{model}`) |
 *
 * Core reads only RegError's `code`, `retryable` and `retryAfterMs` from what a model throws.
 */

// ---------------------------------------------------------------------------------------------
// Requests

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface TextPart {
  type: 'text';
  text: string;
  /** Provider-specific hints for this part, keyed by provider name (e.g. Anthropic cache control). */
  providerOptions?: ProviderOptions;
}

export interface ImagePart {
  type: 'image';
  /** An http(s) URL, a data: URL, or raw base64 together with `mediaType`. */
  image: string | Uint8Array;
  mediaType?: string;
  providerOptions?: ProviderOptions;
}

export interface ToolCallPart {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  /** The arguments as the model produced them (parsed JSON). */
  input: unknown;
}

export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  /** The tool's output: text, or any JSON value. */
  output: unknown;
  isError?: boolean;
}

export type SystemMessage = { role: 'system'; content: string | TextPart[] };
export type UserMessage = { role: 'user'; content: string | Array<TextPart | ImagePart> };
export type AssistantMessage = { role: 'assistant'; content: string | Array<TextPart | ToolCallPart> };
export type ToolMessage = { role: 'tool'; content: ToolResultPart[] };
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the tool's input object. */
  inputSchema: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'tool'; toolName: string };

export type ResponseFormat = { type: 'text' } | { type: 'json'; schema?: Record<string, unknown>; name?: string };

/** Per-provider extras, keyed by provider name; a provider reads only its own key. */
export type ProviderOptions = Record<string, Record<string, unknown>>;

export interface ChatRequest {
  messages: Message[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  providerOptions?: ProviderOptions;
}

// ---------------------------------------------------------------------------------------------
// Results

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Input tokens read from the vendor's prompt cache (a subset of inputTokens). */
  cachedInputTokens?: number;
}

export interface ToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
}

export type ContentPart = { type: 'text'; text: string } | ({ type: 'tool-call' } & ToolCall);

/** What a model returns from one successful attempt. */
export interface ModelResult {
  content: ContentPart[];
  finishReason: FinishReason;
  usage: Usage;
  /** The vendor's raw finish reason, for logs. */
  rawFinishReason?: string;
  /** The vendor's request id, when the response carried one. */
  requestId?: string;
}

/** What a model's stream yields, per attempt. */
export type ModelStreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call-delta'; toolCallId: string; toolName: string; inputDelta: string }
  | ({ type: 'tool-call' } & ToolCall)
  | { type: 'finish'; finishReason: FinishReason; usage: Usage; rawFinishReason?: string };

// ---------------------------------------------------------------------------------------------
// Models

export interface HttpTimeouts {
  /** Establishing the connection. Providers apply it to their SDK's transport. */
  connectTimeoutMs?: number;
  /** One attempt, start to end (the whole stream for `doStream`). Enforced by the registry. */
  requestTimeoutMs?: number;
  /** Stream start to first part. Enforced by the registry. */
  timeToFirstTokenTimeoutMs?: number;
  /** Between two stream parts. Enforced by the registry. */
  idleTimeoutMs?: number;
}

/** Per-attempt context the registry hands to a model. */
export interface CallOptions {
  /** Aborted on caller abort, call deadline or attempt timeout; pass it to the SDK. */
  signal: AbortSignal;
  /** The client's `options.http`, so the provider can configure its transport. */
  http: HttpTimeouts;
  /** The client name this attempt belongs to, for error messages. */
  client: string;
}

export interface ChatModel {
  readonly provider: string;
  readonly model: string;
  doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult>;
  doStream(request: ChatRequest, call: CallOptions): AsyncIterable<ModelStreamPart>;
}

// ---------------------------------------------------------------------------------------------
// Providers

/**
 * Decides where a client may connect. A host that runs other people's configs (the gateway, for
 * request-defined clients) sets one on the registry; only providers that declare
 * `guardsConnections` may then be used, and they call `resolve` for every connection they open
 * (each redirect hop included) and connect to the address it returns, never to one they resolved
 * themselves, so that a DNS answer cannot change between the check and the connect.
 */
export interface ConnectionGuard {
  /** The address to connect to for `hostname` (a name or an IP literal); rejects when it may not be reached. */
  resolve(hostname: string): Promise<{ address: string; family: 4 | 6 }>;
}

export interface ProviderContext {
  /** The client being configured. */
  client: string;
  /** Where the client's options sit in the config, for error paths (`clients[2].options`). */
  path: string;
  /** The environment credentials are read from (process.env unless the registry was given one). */
  env: Readonly<Record<string, string | undefined>>;
  /** Set when the registry restricts where clients connect; see ConnectionGuard. */
  connectionGuard?: ConnectionGuard;
}

export interface ProviderDefinition<Options = unknown> {
  readonly name: string;
  parseOptions(raw: Record<string, unknown>, context: ProviderContext): Options;
  createModel(options: Options, context: ProviderContext): ChatModel;
  /** False when a client of this provider may omit `model` (default true). */
  readonly requiresModel?: boolean;
  /** Options for the `provider/model` shorthand; default `{ model }`. */
  shorthandOptions?(model: string): Record<string, unknown>;
  /** True when every connection the provider's models open goes through `context.connectionGuard`. */
  readonly guardsConnections?: boolean;
}

/** The marker that lets plugin lookup tell provider definitions from other exports. */
export const PROVIDER_MARKER: unique symbol = Symbol.for('@reg/core.provider');

export type DefinedProvider<Options = unknown> = ProviderDefinition<Options> & {
  readonly [PROVIDER_MARKER]: true;
};

export function defineProvider<Options>(definition: ProviderDefinition<Options>): DefinedProvider<Options> {
  return Object.freeze({ ...definition, [PROVIDER_MARKER]: true as const });
}

export function isProviderDefinition(value: unknown): value is DefinedProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[PROVIDER_MARKER] === true &&
    typeof (value as ProviderDefinition).name === 'string'
  );
}
