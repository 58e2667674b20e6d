/**
 * The plugin contract, whole: what a provider package (or an application, in code) gives reg, and
 * what reg gives it back. Read it top to bottom; `docs/writing-a-provider.md` walks through it.
 *
 * A plugin is a `Provider`, made with `defineProvider`. There are two kinds:
 *
 * - a model provider (`anthropic`, `openai`, `reg-provider-acme`) turns a client's options into a
 *   `ChatModel`, which makes one upstream request per attempt;
 * - a strategy (`fallback`, `round-robin`, `hedge`; `kind: 'strategy'`) turns options that name
 *   other clients into a `RunnableClient` over them, so strategies nest without special cases.
 *
 * The registry calls a model provider like this:
 *
 *   parseOptions(raw, context)    once per client, when the client is first built (for a config
 *                                 file: when it loads): validate the client's `options` and return
 *                                 plain data (throw ConfigError naming each option).
 *   createModel(options, context) once per distinct options and `context.http`: build the vendor
 *                                 SDK client with its own retries off, and return a ChatModel.
 *                                 Read credentials here, not at import.
 *   model.doGenerate(request, call) / model.doStream(request, call)
 *                                 once per attempt: exactly one upstream request, honouring
 *                                 `call.signal`; failures are RegErrors from one map-<vendor>-error.ts.
 *
 * | member (model provider) | required | what it is                                                   |
 * |-------------------------|----------|--------------------------------------------------------------|
 * | name                    | yes      | the provider name a config uses (`anthropic`)                |
 * | parseOptions            | yes      | raw client options -> typed options; ConfigError naming each |
 * | createModel             | yes      | typed options -> ChatModel; built once, reused               |
 * | credentials             | no       | `explicit` or `ambient` (default): where credentials come from |
 * | guardsConnections       | no       | every connection goes through `context.connectionGuard`      |
 * | endpointOptions         | no       | options holding the URLs it connects to (`base_url`)         |
 * | capabilities            | no       | what its models can do: streaming, tools, images, JSON schema |
 * | requiresModel           | no       | false when a client may omit `model` (default true)          |
 * | shorthandOptions        | no       | options for the `provider/model` shorthand (default {model}) |
 *
 * | member (strategy)       | required | what it is                                                   |
 * |-------------------------|----------|--------------------------------------------------------------|
 * | name, kind: 'strategy'  | yes      | the name a config uses (`fallback`)                          |
 * | parseOptions            | yes      | as above                                                     |
 * | members                 | yes      | the client references the options name, for checks and depth |
 * | createClient            | yes      | options -> RunnableClient over `context.resolve(member)`     |
 *
 * Core reads only RegError's `code`, `retryable` and `retryAfterMs` from what a model throws.
 */

import type { ErrorCode, RegError } from './errors/reg-error.js';
import type { RegistryEventName, RegistryEvents } from './events/events.js';
import type { StateStore } from './state/state-store.js';

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

/**
 * A document or audio file in a user message: PDFs and other documents, audio. Each vendor takes
 * its own set of media types (see its provider's `capabilities.fileTypes`); a part a vendor cannot
 * take fails before any request, and a strategy skips that member.
 */
export interface FilePart {
  type: 'file';
  /** An http(s) URL, a data: URL, raw base64 (with `mediaType`), or the bytes. */
  data: string | Uint8Array;
  /** The IANA media type: `application/pdf`, `text/plain`, `audio/wav`, `audio/mpeg`, ... */
  mediaType: string;
  /** The file's name, for vendors that show or require one (Bedrock names every document). */
  filename?: string;
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
export type UserMessage = { role: 'user'; content: string | Array<TextPart | ImagePart | FilePart> };
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
// Results: what a model returns from one attempt, and what a call returns

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

/**
 * Token counts, the same on every vendor (each provider documents its mapping): `inputTokens` is
 * all input, cache reads and writes included; `outputTokens` is all output, reasoning included;
 * `totalTokens` is their sum. The optional fields are parts of those totals, set when the vendor
 * reports them.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Input tokens read from the vendor's prompt cache (part of inputTokens). */
  cachedInputTokens?: number;
  /** Input tokens written to the vendor's prompt cache (part of inputTokens). */
  cacheWriteInputTokens?: number;
  /** Output tokens the model spent reasoning (part of outputTokens). */
  reasoningTokens?: number;
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

/** What a model's stream yields, per attempt. Core adds `start`; a model never yields it. */
export type ModelStreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call-delta'; toolCallId: string; toolName: string; inputDelta: string }
  | ({ type: 'tool-call' } & ToolCall)
  | { type: 'finish'; finishReason: FinishReason; usage: Usage; rawFinishReason?: string };

/** One attempt on one leaf client, as the monitoring record keeps it. */
export interface Attempt {
  client: string;
  provider: string;
  model: string;
  /** `skipped`: no request was made, the client's breaker is open or it cools down (see `code`). */
  status: 'success' | 'failure' | 'skipped';
  /** The error's code when the attempt failed. */
  code?: ErrorCode;
  /** The vendor's HTTP status, when there was a response. */
  httpStatus?: number;
  /** The failure's message, without secrets. */
  message?: string;
  retryAfterMs?: number;
  durationMs: number;
  /** Why no retry followed this failed attempt on the same client. */
  gaveUp?: 'not_retryable' | 'max_retries' | 'retry_after_too_long' | 'deadline' | 'retry_budget' | 'committed' | 'circuit_open';
}

/** Which client answered, and after which attempts. */
export interface CallRecord {
  /** The leaf client that answered. */
  client: string;
  provider: string;
  model: string;
  /** Every attempt of the call, in order, across retries and fallbacks. */
  attempts: Attempt[];
}

/** What `registry.generate` returns. */
export interface GenerateResult extends CallRecord {
  text: string;
  content: ContentPart[];
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  rawFinishReason?: string;
  requestId?: string;
}

/** The first content is about to arrive from this leaf client; no failover happens after it. */
export interface StreamStart extends CallRecord {
  type: 'start';
  /** The attempts before this one (failed or skipped); the answering attempt is recorded when it ends. */
  attempts: Attempt[];
}

/** What `registry.stream` yields. */
export type StreamPart =
  | StreamStart
  | Exclude<ModelStreamPart, { type: 'finish' }>
  | (Extract<ModelStreamPart, { type: 'finish' }> & CallRecord);

/** Per-call settings of `registry.generate` and `registry.stream`. */
export interface CallSettings {
  /** A client name or `provider/model`; default: the primary client. */
  client?: string;
  /** Aborts the call: the request in flight, any backoff sleep and any later fallback. */
  signal?: AbortSignal;
  /** Bounds the whole call: every attempt and every wait. */
  timeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Models

/** A client's `options.http`, fixed for the client's life. */
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

/** What changes from one attempt to the next; everything fixed per client came with `createModel`. */
export interface CallOptions {
  /** Aborted on caller abort, call deadline or attempt timeout; pass it to the SDK. */
  signal: AbortSignal;
  /** The client this attempt belongs to (clients with the same options share a model), for messages. */
  client: string;
}

export interface ChatModel {
  readonly provider: string;
  readonly model: string;
  doGenerate(request: ChatRequest, call: CallOptions): Promise<ModelResult>;
  doStream(request: ChatRequest, call: CallOptions): AsyncIterable<ModelStreamPart>;
}

// ---------------------------------------------------------------------------------------------
// Model providers

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
  /**
   * Why a configured endpoint (the value of one of a provider's `endpointOptions`) may not be
   * reached, or undefined when it may. Asked when a config loads, so a refused `base_url` is a
   * ConfigError at its path before any call; `resolve` still checks every connection.
   */
  refusal?(url: unknown): Promise<string | undefined>;
}

export interface ProviderContext {
  /** The client being configured. */
  client: string;
  /** Where the client's options sit in the config, for error paths (`clients[2].options`). */
  path: string;
  /** The environment credentials are read from (process.env unless the registry was given one). */
  env: Readonly<Record<string, string | undefined>>;
  /** The client's `options.http`; a model is built per distinct value (apply the connect timeout). */
  http: Readonly<HttpTimeouts>;
  /** Set when the registry restricts where clients connect; see ConnectionGuard. */
  connectionGuard?: ConnectionGuard;
}

/**
 * What a provider's models can do, declared as data. When a provider declares capabilities, a
 * request that needs one it lacks (tools, images, a JSON schema, a file of a type it does not
 * take) is not sent to it: the attempt is skipped with the reason (`invalid_request`), and a
 * strategy moves on to a member that can serve it. A provider that declares none is not checked.
 */
export interface ProviderCapabilities {
  /** `doStream` yields parts as they arrive (not the whole answer at the end). */
  streaming: boolean;
  /** Tool definitions, tool choice, tool calls and tool results. */
  tools: boolean;
  /** Image parts in user messages. */
  images: boolean;
  /** `responseFormat: { type: 'json', schema }` reaches the vendor as a schema. */
  jsonSchema: boolean;
  /** The media types its models take in file parts (`application/pdf`, `text/*`, `audio/wav`; see `takesMediaType`); none when absent. */
  fileTypes: readonly string[];
}

/**
 * Whether a list of media types (`capabilities.fileTypes`) takes `mediaType`: the same type, or
 * one under a wildcard (`text/*`, `*\/*`), compared without parameters and case.
 */
export function takesMediaType(accepted: readonly string[], mediaType: string): boolean {
  const type = mediaType.toLowerCase().split(';')[0]!.trim();
  return accepted.some((entry) => entry === type || entry === '*/*' || (entry.endsWith('/*') && type.startsWith(entry.slice(0, -1))));
}

export interface ModelProviderDefinition<Options = unknown> {
  readonly name: string;
  readonly kind?: 'model';
  parseOptions(raw: Record<string, unknown>, context: ProviderContext): Options;
  createModel(options: Options, context: ProviderContext): ChatModel;
  /**
   * Where credentials come from. `explicit`: only from the client's options and `context.env`.
   * `ambient`: it may also find them elsewhere (the AWS credential chain, Google Application
   * Default Credentials, a package reading process.env). A registry that allows explicit
   * credentials only (the gateway's request-defined ones) refuses ambient providers. Default
   * `ambient`: a provider is trusted with no more than it declares.
   */
  readonly credentials?: 'explicit' | 'ambient';
  /** True when every connection the provider's models open goes through `context.connectionGuard`. */
  readonly guardsConnections?: boolean;
  /** The options whose values are URLs the provider connects to (`base_url`), for `ConnectionGuard.refusal`. */
  readonly endpointOptions?: readonly string[];
  /** What its models can do; an undeclared capability counts as absent. */
  readonly capabilities?: Partial<ProviderCapabilities>;
  /** False when a client of this provider may omit `model` (default true). */
  readonly requiresModel?: boolean;
  /** Options for the `provider/model` shorthand; default `{ model }`. */
  shorthandOptions?(model: string): Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Strategies

/** Who answered an attempt, with what: a model's result and the leaf client that produced it. */
export interface ClientResult extends ModelResult {
  client: string;
  provider: string;
  model: string;
}

/** What a stream yields below the registry: a `start` at commit, then the model's parts. */
export type ClientStreamPart = StreamStart | ModelStreamPart;

/** The events a strategy may emit through its call (`fallback`), and whether anyone listens. */
export interface CallEvents {
  has(name: RegistryEventName): boolean;
  emit<Name extends RegistryEventName>(name: Name, event: RegistryEvents[Name]): void;
}

/**
 * What one call carries down through strategies to the leaf clients: the signal that ends it
 * (caller abort, `timeoutMs`, a strategy's `total_timeout_ms`), its deadline, the attempts made so
 * far, and the registry's events and state. Strategies may open child scopes with a tighter bound.
 */
export interface CallScope {
  readonly id: number;
  /** Every attempt of the call so far, shared by child and branch scopes. */
  readonly attempts: Attempt[];
  readonly events: CallEvents;
  readonly store: StateStore;
  /** `performance.now()` by which the call must be over, or Infinity. */
  readonly deadline: number;
  readonly signal: AbortSignal;
  /** A scope bounded by `total_timeout_ms` as well; it shares this call's attempts. */
  child(timeout: { ms: number; name: string }): CallScope;
  /** A scope that ends with this one but can also be cancelled alone (a hedge's losing branch). */
  branch(): CallScope;
  /** Ends this scope's work in flight with `reason` (a branch's; the call's own signal stays as it is). */
  cancel(reason: RegError): void;
  /** The error the call ends with once its signal has aborted. */
  abortError(): RegError;
  throwIfAborted(): void;
  /** Releases the scope's timer and listeners; call it when the work it bounds is over. */
  dispose(): void;
}

/**
 * A configured client, ready to call: a leaf (one model with its retry policy and timeouts) or a
 * strategy over other clients. Strategies take RunnableClients and are RunnableClients, so they nest.
 */
export interface RunnableClient {
  readonly name: string;
  readonly provider: string;
  generate(request: ChatRequest, scope: CallScope): Promise<ClientResult>;
  /**
   * Yields `start` right before the first content part, then the parts. A failure before `start`
   * may be retried or failed over; after it, it is a StreamInterruptedError.
   */
  stream(request: ChatRequest, scope: CallScope): AsyncGenerator<ClientStreamPart, void, undefined>;
}

export interface StrategyContext extends ProviderContext {
  /** The client a member reference (name or `provider/model`) stands for, built on first use. */
  resolve(reference: string): RunnableClient | Promise<RunnableClient>;
}

export interface StrategyProviderDefinition<Options = unknown> {
  readonly name: string;
  readonly kind: 'strategy';
  parseOptions(raw: Record<string, unknown>, context: ProviderContext): Options;
  /** The member references, for validation, cycle detection and nesting depth. */
  members(options: Options): string[];
  createClient(options: Options, context: StrategyContext): RunnableClient;
}

// ---------------------------------------------------------------------------------------------
// Defining a provider

/** The marker that tells provider definitions from other exports (a registered symbol, so two copies of core agree). */
export const PROVIDER_MARKER: unique symbol = Symbol.for('@reg/core.provider');

export interface ModelProvider<Options = unknown> extends ModelProviderDefinition<Options> {
  readonly [PROVIDER_MARKER]: true;
}

export interface StrategyProvider<Options = unknown> extends StrategyProviderDefinition<Options> {
  readonly [PROVIDER_MARKER]: true;
}

/** A plugin: a model provider or a strategy, made with `defineProvider`. */
export type Provider<Options = unknown> = ModelProvider<Options> | StrategyProvider<Options>;

export function defineProvider<Options>(definition: StrategyProviderDefinition<Options>): StrategyProvider<Options>;
export function defineProvider<Options>(definition: ModelProviderDefinition<Options>): ModelProvider<Options>;
export function defineProvider<Options>(definition: ModelProviderDefinition<Options> | StrategyProviderDefinition<Options>): Provider<Options> {
  return Object.freeze({ ...definition, [PROVIDER_MARKER]: true as const }) as Provider<Options>;
}

/** True for anything `defineProvider` made, from any copy of @reg/core. */
export function isProvider(value: unknown): value is Provider {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[PROVIDER_MARKER] === true &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}

export function isStrategy(provider: Provider): provider is StrategyProvider {
  return provider.kind === 'strategy';
}
