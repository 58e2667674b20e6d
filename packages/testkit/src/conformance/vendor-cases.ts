import type { ErrorCode } from '@reg/core';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import type { Fault, RecordedRequest, StatusFault } from '../emulator/types.js';
import type { ConformanceVendor } from './types.js';

/** What a scripted fault must become once the provider maps it. */
export interface ExpectedError {
  code: ErrorCode;
  retryable: boolean;
  retryAfterMs?: number;
  status?: number;
}

export interface ErrorCase {
  name: string;
  fault: Fault;
  expected: ExpectedError;
}

type Family = 'openai' | 'anthropic' | 'bedrock' | 'google';

export function familyOf(vendor: ConformanceVendor): Family {
  switch (vendor) {
    case 'openai':
    case 'azure':
    case 'openrouter':
      return 'openai';
    case 'gemini':
    case 'vertex':
      return 'google';
    default:
      return vendor;
  }
}

/** Each vendor's own words for an over-long prompt, as its API sends them. */
const CONTEXT_LENGTH: Record<Family, Pick<StatusFault, 'message' | 'type' | 'code'>> = {
  openai: {
    message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
    type: 'invalid_request_error',
    code: 'context_length_exceeded',
  },
  anthropic: { message: 'prompt is too long: 212345 tokens > 200000 maximum', type: 'invalid_request_error' },
  bedrock: { message: 'Input is too long for requested model.', type: 'ValidationException' },
  google: { message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', type: 'INVALID_ARGUMENT' },
};

function status(status: number, extra: Partial<StatusFault> = {}): StatusFault {
  return { kind: 'status', status, ...extra };
}

/** The HTTP errors every provider must map, then each vendor's own. */
export function errorCases(vendor: ConformanceVendor): ErrorCase[] {
  const family = familyOf(vendor);
  const cases: ErrorCase[] = [
    { name: '401', fault: status(401), expected: { code: 'auth', retryable: false, status: 401 } },
    { name: '403', fault: status(403), expected: { code: 'auth', retryable: false, status: 403 } },
    { name: '404', fault: status(404), expected: { code: 'not_found', retryable: false, status: 404 } },
    { name: '400', fault: status(400), expected: { code: 'invalid_request', retryable: false, status: 400 } },
    {
      name: '400 context length',
      fault: status(400, CONTEXT_LENGTH[family]),
      expected: { code: 'context_length', retryable: false, status: 400 },
    },
    {
      name: '429 with retry-after',
      fault: status(429, { retryAfterSeconds: 3 }),
      expected: { code: 'rate_limited', retryable: true, retryAfterMs: 3000, status: 429 },
    },
    { name: '500', fault: status(500), expected: { code: 'server', retryable: true, status: 500 } },
    { name: '503', fault: status(503), expected: { code: 'overloaded', retryable: true, status: 503 } },
  ];
  switch (family) {
    case 'openai':
      cases.push(
        {
          name: '429 insufficient_quota',
          fault: status(429, {
            type: 'insufficient_quota',
            code: 'insufficient_quota',
            message: 'You exceeded your current quota, please check your plan and billing details.',
          }),
          expected: { code: 'quota', retryable: false, status: 429 },
        },
        {
          name: '400 content filter',
          fault: status(400, {
            code: 'content_filter',
            message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
          }),
          expected: { code: 'content_filter', retryable: false, status: 400 },
        },
        {
          name: '429 with retry-after-ms',
          fault: status(429, { retryAfterMs: 1500 }),
          expected: { code: 'rate_limited', retryable: true, retryAfterMs: 1500, status: 429 },
        },
        {
          name: '500 with x-should-retry: false',
          fault: status(500, { shouldRetry: false }),
          expected: { code: 'server', retryable: false, status: 500 },
        },
      );
      break;
    case 'anthropic':
      cases.push(
        { name: '529 overloaded_error', fault: status(529), expected: { code: 'overloaded', retryable: true, status: 529 } },
        {
          name: '400 billing',
          fault: status(400, { message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.' }),
          expected: { code: 'quota', retryable: false, status: 400 },
        },
      );
      break;
    case 'bedrock':
      cases.push(
        { name: 'ThrottlingException', fault: status(429, { type: 'ThrottlingException' }), expected: { code: 'rate_limited', retryable: true, status: 429 } },
        { name: 'ModelNotReadyException', fault: status(429, { type: 'ModelNotReadyException' }), expected: { code: 'overloaded', retryable: true, status: 429 } },
        { name: 'ServiceUnavailableException', fault: status(503, { type: 'ServiceUnavailableException' }), expected: { code: 'overloaded', retryable: true, status: 503 } },
        { name: 'ModelTimeoutException', fault: status(408, { type: 'ModelTimeoutException' }), expected: { code: 'timeout', retryable: true, status: 408 } },
        { name: 'ServiceQuotaExceededException', fault: status(400, { type: 'ServiceQuotaExceededException' }), expected: { code: 'quota', retryable: false, status: 400 } },
        { name: 'AccessDeniedException', fault: status(403, { type: 'AccessDeniedException' }), expected: { code: 'auth', retryable: false, status: 403 } },
      );
      break;
    case 'google':
      cases.push(
        {
          name: '429 RESOURCE_EXHAUSTED with RetryInfo',
          fault: status(429, { type: 'RESOURCE_EXHAUSTED', retryAfterSeconds: 7 }),
          expected: { code: 'rate_limited', retryable: true, retryAfterMs: 7000, status: 429 },
        },
        { name: '504 DEADLINE_EXCEEDED', fault: status(504), expected: { code: 'timeout', retryable: true, status: 504 } },
      );
      break;
  }
  return cases;
}

/** In-band errors: sent inside a stream that has already answered 200, before any content. */
export function streamErrorCases(vendor: ConformanceVendor): ErrorCase[] {
  const inBand = (type: string | undefined, expected: ExpectedError): ErrorCase => ({
    name: `in-band ${type ?? 'default'} error`,
    fault: { kind: 'stream-error', afterParts: 0, ...(type ? { type } : {}) },
    expected,
  });
  switch (familyOf(vendor)) {
    case 'openai':
      return [inBand(undefined, { code: 'server', retryable: true })];
    case 'anthropic':
      return [
        inBand('overloaded_error', { code: 'overloaded', retryable: true }),
        inBand('api_error', { code: 'server', retryable: true }),
        inBand('rate_limit_error', { code: 'rate_limited', retryable: true }),
      ];
    case 'bedrock':
      return [
        inBand('throttlingException', { code: 'rate_limited', retryable: true }),
        inBand('serviceUnavailableException', { code: 'overloaded', retryable: true }),
        inBand('validationException', { code: 'invalid_request', retryable: false }),
      ];
    case 'google':
      return [
        inBand('RESOURCE_EXHAUSTED', { code: 'rate_limited', retryable: true }),
        inBand('INTERNAL', { code: 'server', retryable: true }),
      ];
  }
}

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

/** The text the vendor received in its system slot (not in a user turn). */
export function systemTextOf(vendor: ConformanceVendor, request: RecordedRequest): string {
  const body = (request.body ?? {}) as Record<string, unknown>;
  switch (familyOf(vendor)) {
    case 'openai': {
      if (request.path.endsWith('/responses')) {
        const items = Array.isArray(body.input) ? (body.input as Array<Record<string, unknown>>) : [];
        const fromItems = items.filter((item) => item.role === 'system' || item.role === 'developer').map((item) => textOf(item.content));
        return [typeof body.instructions === 'string' ? body.instructions : '', ...fromItems].join('');
      }
      const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
      return messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => textOf(message.content)).join('');
    }
    case 'anthropic':
      return textOf(body.system);
    case 'bedrock':
      return textOf(body.system);
    case 'google':
      return textOf(body.systemInstruction);
  }
}

/** The vendor's test credentials, which must never show in an error or an event. */
export function vendorSecrets(vendor: ConformanceVendor): string[] {
  switch (vendor) {
    case 'openai':
      return [TEST_CREDENTIALS.openai];
    case 'azure':
      return [TEST_CREDENTIALS.azure];
    case 'openrouter':
      return [TEST_CREDENTIALS.openrouter];
    case 'anthropic':
      return [TEST_CREDENTIALS.anthropic];
    case 'bedrock':
      return [TEST_CREDENTIALS.aws.secretAccessKey];
    case 'gemini':
      return [TEST_CREDENTIALS.gemini];
    case 'vertex':
      return [TEST_CREDENTIALS.vertexApiKey];
  }
}

/** Secrets a request carried on the wire: auth headers, signatures and key parameters. */
export function wireSecrets(request: RecordedRequest): string[] {
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
