import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { vendorBaseUrls } from '../emulator/start-emulator.js';
import type { RecordedRequest, StatusFault } from '../emulator/types.js';
import { commonErrorCases, statusFault, streamErrorCase } from './error-cases.js';
import type { ConformanceVendor, ConformanceVendorName, ErrorCase, ReportedUsage } from './types.js';

/** Each vendor's own words for an over-long prompt, as its API sends them. */
const CONTEXT_LENGTH = {
  openai: {
    message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
    type: 'invalid_request_error',
    code: 'context_length_exceeded',
  },
  anthropic: { message: 'prompt is too long: 212345 tokens > 200000 maximum', type: 'invalid_request_error' },
  bedrock: { message: 'Input is too long for requested model.', type: 'ValidationException' },
  google: { message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', type: 'INVALID_ARGUMENT' },
} satisfies Record<string, Pick<StatusFault, 'message' | 'type' | 'code'>>;

const OPENAI_ERRORS: ErrorCase[] = [
  ...commonErrorCases({ contextLength: CONTEXT_LENGTH.openai }),
  {
    name: '429 insufficient_quota',
    fault: statusFault(429, {
      type: 'insufficient_quota',
      code: 'insufficient_quota',
      message: 'You exceeded your current quota, please check your plan and billing details.',
    }),
    expected: { code: 'quota', retryable: false, status: 429 },
  },
  {
    name: '400 content filter',
    fault: statusFault(400, {
      code: 'content_filter',
      message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
    }),
    expected: { code: 'content_filter', retryable: false, status: 400 },
  },
  {
    name: '429 with retry-after-ms',
    fault: statusFault(429, { retryAfterMs: 1500 }),
    expected: { code: 'rate_limited', retryable: true, retryAfterMs: 1500, status: 429 },
  },
  {
    name: '500 with x-should-retry: false',
    fault: statusFault(500, { shouldRetry: false }),
    expected: { code: 'server', retryable: false, status: 500 },
  },
];

const ANTHROPIC_ERRORS: ErrorCase[] = [
  ...commonErrorCases({ contextLength: CONTEXT_LENGTH.anthropic }),
  { name: '529 overloaded_error', fault: statusFault(529), expected: { code: 'overloaded', retryable: true, status: 529 } },
  {
    name: '400 billing',
    fault: statusFault(400, { message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.' }),
    expected: { code: 'quota', retryable: false, status: 400 },
  },
];

const BEDROCK_ERRORS: ErrorCase[] = [
  ...commonErrorCases({ contextLength: CONTEXT_LENGTH.bedrock }),
  { name: 'ThrottlingException', fault: statusFault(429, { type: 'ThrottlingException' }), expected: { code: 'rate_limited', retryable: true, status: 429 } },
  { name: 'ModelNotReadyException', fault: statusFault(429, { type: 'ModelNotReadyException' }), expected: { code: 'overloaded', retryable: true, status: 429 } },
  { name: 'ServiceUnavailableException', fault: statusFault(503, { type: 'ServiceUnavailableException' }), expected: { code: 'overloaded', retryable: true, status: 503 } },
  { name: 'ModelTimeoutException', fault: statusFault(408, { type: 'ModelTimeoutException' }), expected: { code: 'timeout', retryable: true, status: 408 } },
  { name: 'ServiceQuotaExceededException', fault: statusFault(400, { type: 'ServiceQuotaExceededException' }), expected: { code: 'quota', retryable: false, status: 400 } },
  { name: 'AccessDeniedException', fault: statusFault(403, { type: 'AccessDeniedException' }), expected: { code: 'auth', retryable: false, status: 403 } },
];

const GOOGLE_ERRORS: ErrorCase[] = [
  ...commonErrorCases({ contextLength: CONTEXT_LENGTH.google }),
  {
    name: '429 RESOURCE_EXHAUSTED with RetryInfo',
    fault: statusFault(429, { type: 'RESOURCE_EXHAUSTED', retryAfterSeconds: 7 }),
    expected: { code: 'rate_limited', retryable: true, retryAfterMs: 7000, status: 429 },
  },
  { name: '504 DEADLINE_EXCEEDED', fault: statusFault(504), expected: { code: 'timeout', retryable: true, status: 504 } },
];

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => textOf(part)).join('');
  if (content && typeof content === 'object') {
    const record = content as Record<string, unknown>;
    if (typeof record.text === 'string') return record.text;
    if ('content' in record) return textOf(record.content);
    if ('parts' in record) return textOf(record.parts);
  }
  return '';
}

function bodyOf(request: RecordedRequest): Record<string, unknown> {
  return (request.body ?? {}) as Record<string, unknown>;
}

/** Chat Completions' system and developer messages, or the Responses API's instructions and system items. */
function openaiSystemText(request: RecordedRequest): string {
  const body = bodyOf(request);
  if (request.path.endsWith('/responses')) {
    const items = Array.isArray(body.input) ? (body.input as Array<Record<string, unknown>>) : [];
    const fromItems = items.filter((item) => item.role === 'system' || item.role === 'developer').map((item) => textOf(item.content));
    return [typeof body.instructions === 'string' ? body.instructions : '', ...fromItems].join('');
  }
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  return messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => textOf(message.content)).join('');
}

/**
 * Which usage fields each API reports besides input, output and cache reads, as its vendor
 * documents them (its SDK's usage type is the exact reference):
 * - Chat Completions: `prompt_tokens_details.cache_write_tokens` and
 *   `completion_tokens_details.reasoning_tokens` (openai's `CompletionUsage`; OpenRouter documents
 *   both in its usage accounting, Azure serves OpenAI's schema).
 * - Responses: `input_tokens_details.cache_write_tokens` and `output_tokens_details.reasoning_tokens`
 *   (openai's `ResponseUsage`).
 * - Anthropic Messages: `cache_creation_input_tokens` and `output_tokens_details.thinking_tokens`
 *   (the SDK's `Usage`; `output_tokens` already includes thinking).
 * - Bedrock Converse: `cacheWriteInputTokens`; its `TokenUsage` has no reasoning field.
 * - Gemini and Vertex: `thoughtsTokenCount`; no cache writes (`cachedContentTokenCount` is reads).
 */
const USAGE = {
  openaiChat: { cacheWrites: true, reasoning: true },
  openaiResponses: { cacheWrites: true, reasoning: true },
  anthropic: { cacheWrites: true, reasoning: true },
  bedrock: { cacheWrites: true, reasoning: false },
  google: { cacheWrites: false, reasoning: true },
} satisfies Record<string, ReportedUsage>;

/** The `openai` vendor serves Chat Completions and Responses: a Responses request is one to `/responses`. */
function openaiUsage(request: RecordedRequest): ReportedUsage {
  return request.path.endsWith('/responses') ? USAGE.openaiResponses : USAGE.openaiChat;
}

/** What usage `vendor` reports for `request` (its `usage`, default neither cache writes nor reasoning). */
export function reportedUsage(vendor: ConformanceVendor, request: RecordedRequest | undefined): ReportedUsage {
  const usage = vendor.usage ?? { cacheWrites: false, reasoning: false };
  if (typeof usage !== 'function') return usage;
  if (!request) throw new Error(`The ${vendor.name} vendor's usage depends on the request, and there was none.`);
  return usage(request);
}

/**
 * Secrets a request carried on the wire in the places the built-in vendors use: auth headers (and
 * a bearer token alone), SigV4 signatures, and the `key` query parameter.
 */
export function commonWireSecrets(request: RecordedRequest): string[] {
  const found: string[] = [];
  for (const name of ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'x-amz-security-token']) {
    const value = request.headers[name];
    if (typeof value !== 'string' || value === '') continue;
    found.push(value);
    const bearer = /^Bearer\s+(.+)$/i.exec(value)?.[1];
    if (bearer) found.push(bearer);
    const signature = /Signature=([0-9a-f]+)/.exec(value)?.[1];
    if (signature) found.push(signature);
  }
  if (request.query.key) found.push(request.query.key);
  return found;
}

function openaiFamily(name: 'openai' | 'azure' | 'openrouter', secret: string): ConformanceVendor {
  return {
    name,
    baseUrl: (origin) => vendorBaseUrls(origin)[name],
    systemText: openaiSystemText,
    errorCases: OPENAI_ERRORS,
    streamErrorCases: [streamErrorCase(undefined, { code: 'server', retryable: true })],
    usage: name === 'openai' ? openaiUsage : USAGE.openaiChat,
    secrets: [secret],
  };
}

function google(name: 'gemini' | 'vertex', secret: string): ConformanceVendor {
  return {
    name,
    baseUrl: (origin) => vendorBaseUrls(origin)[name],
    systemText: (request) => textOf(bodyOf(request).systemInstruction),
    errorCases: GOOGLE_ERRORS,
    streamErrorCases: [
      streamErrorCase('RESOURCE_EXHAUSTED', { code: 'rate_limited', retryable: true }),
      streamErrorCase('INTERNAL', { code: 'server', retryable: true }),
    ],
    // The Gemini API has no tool-call ids: providers make them up.
    toolCallIdsFromVendor: false,
    usage: USAGE.google,
    secrets: [secret],
  };
}

/** The vendor APIs the emulator serves itself, as the conformance suite checks them. */
export const conformanceVendors: Readonly<Record<ConformanceVendorName, ConformanceVendor>> = Object.freeze({
  openai: openaiFamily('openai', TEST_CREDENTIALS.openai),
  azure: openaiFamily('azure', TEST_CREDENTIALS.azure),
  openrouter: openaiFamily('openrouter', TEST_CREDENTIALS.openrouter),
  anthropic: {
    name: 'anthropic',
    baseUrl: (origin: string) => vendorBaseUrls(origin).anthropic,
    systemText: (request: RecordedRequest) => textOf(bodyOf(request).system),
    errorCases: ANTHROPIC_ERRORS,
    streamErrorCases: [
      streamErrorCase('overloaded_error', { code: 'overloaded', retryable: true }),
      streamErrorCase('api_error', { code: 'server', retryable: true }),
      streamErrorCase('rate_limit_error', { code: 'rate_limited', retryable: true }),
    ],
    usage: USAGE.anthropic,
    secrets: [TEST_CREDENTIALS.anthropic],
  },
  bedrock: {
    name: 'bedrock',
    baseUrl: (origin: string) => vendorBaseUrls(origin).bedrock,
    systemText: (request: RecordedRequest) => textOf(bodyOf(request).system),
    errorCases: BEDROCK_ERRORS,
    streamErrorCases: [
      streamErrorCase('throttlingException', { code: 'rate_limited', retryable: true }),
      streamErrorCase('serviceUnavailableException', { code: 'overloaded', retryable: true }),
      streamErrorCase('validationException', { code: 'invalid_request', retryable: false }),
    ],
    usage: USAGE.bedrock,
    secrets: [TEST_CREDENTIALS.aws.secretAccessKey],
  },
  gemini: google('gemini', TEST_CREDENTIALS.gemini),
  vertex: google('vertex', TEST_CREDENTIALS.vertexApiKey),
});

/** The vendor a `vendor` option names or describes. */
export function resolveVendor(vendor: ConformanceVendor | ConformanceVendorName): ConformanceVendor {
  if (typeof vendor !== 'string') return vendor;
  const known = conformanceVendors[vendor];
  if (!known) throw new Error(`Unknown conformance vendor '${String(vendor)}': use one of ${Object.keys(conformanceVendors).join(', ')}, or describe the vendor (a ConformanceVendor).`);
  return known;
}
