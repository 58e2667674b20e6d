import type { ErrorCode, Provider } from '@reg/core';
import { awsBedrock } from '@reg/provider-bedrock';
import { anthropic } from '@reg/provider-anthropic';
import { googleAi } from '@reg/provider-google';
import { openai } from '@reg/provider-openai';
import { TEST_CREDENTIALS, type Fault, type StatusFault, type VendorBaseUrls } from '@reg/testkit';

/** The vendors the failure suite runs against, each through its official SDK and its emulator. */
export type VendorName = 'openai' | 'anthropic' | 'bedrock' | 'gemini';

export const VENDORS: readonly VendorName[] = ['openai', 'anthropic', 'bedrock', 'gemini'];

/** Every provider a failure-suite registry (or gateway) may use. */
export const PROVIDERS: readonly Provider[] = [openai, anthropic, awsBedrock, googleAi];

/** The reg provider name that speaks to each vendor. */
export function providerName(vendor: VendorName): string {
  switch (vendor) {
    case 'openai':
      return openai.name;
    case 'anthropic':
      return anthropic.name;
    case 'bedrock':
      return awsBedrock.name;
    case 'gemini':
      return googleAi.name;
  }
}

/** Client options that point a leaf client at the emulator (as the providers' own tests do). */
export function clientOptions(vendor: VendorName, baseUrls: VendorBaseUrls, model: string): Record<string, unknown> {
  switch (vendor) {
    case 'openai':
      return { model, base_url: baseUrls.openai, api_key: TEST_CREDENTIALS.openai };
    case 'anthropic':
      return { model, base_url: baseUrls.anthropic, api_key: TEST_CREDENTIALS.anthropic };
    case 'bedrock':
      return {
        model,
        region: 'us-east-1',
        endpoint_url: baseUrls.bedrock,
        access_key_id: TEST_CREDENTIALS.aws.accessKeyId,
        secret_access_key: TEST_CREDENTIALS.aws.secretAccessKey,
      };
    case 'gemini':
      return { model, base_url: baseUrls.gemini, api_key: TEST_CREDENTIALS.gemini };
  }
}

/** Every credential the suite hands out, which must never show in an error, a log line or an event. */
export const SECRETS: readonly string[] = [
  TEST_CREDENTIALS.openai,
  TEST_CREDENTIALS.anthropic,
  TEST_CREDENTIALS.aws.secretAccessKey,
  TEST_CREDENTIALS.gemini,
];

/**
 * A 429 asking to wait `ms` in the vendor's own way: `retry-after-ms` for the OpenAI family,
 * Anthropic and Bedrock, a `RetryInfo.retryDelay` in the error body for Gemini.
 */
export function rateLimited(vendor: VendorName, ms: number): StatusFault {
  if (vendor === 'gemini') return { kind: 'status', status: 429, type: 'RESOURCE_EXHAUSTED', retryAfterSeconds: ms / 1000 };
  return { kind: 'status', status: 429, retryAfterMs: ms };
}

/** An over-long prompt, in each vendor's words. */
export function contextLength(vendor: VendorName): StatusFault {
  switch (vendor) {
    case 'openai':
      return {
        kind: 'status',
        status: 400,
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
        message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
      };
    case 'anthropic':
      return { kind: 'status', status: 400, type: 'invalid_request_error', message: 'prompt is too long: 212345 tokens > 200000 maximum' };
    case 'bedrock':
      return { kind: 'status', status: 400, type: 'ValidationException', message: 'Input is too long for requested model.' };
    case 'gemini':
      return {
        kind: 'status',
        status: 400,
        type: 'INVALID_ARGUMENT',
        message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
      };
  }
}

/**
 * The vendor's content-filter error, or why the vendor has none: only the OpenAI family refuses a
 * prompt with an HTTP error; the others answer 200 with a content-filter stop reason.
 */
export function contentFilterError(vendor: VendorName): StatusFault | string {
  if (vendor === 'openai') {
    return {
      kind: 'status',
      status: 400,
      code: 'content_filter',
      message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
    };
  }
  return `${vendor} has no content-filter HTTP error: it answers 200 with a content-filter stop reason (see the content-filter finish row)`;
}

/**
 * Quota or credit exhausted, as each vendor says it, or why the vendor cannot be told apart from a
 * rate limit: Gemini answers an exhausted quota with the same 429 RESOURCE_EXHAUSTED body as a
 * per-minute limit, which reg keeps retryable on purpose (see map-google-error.ts).
 */
export function quotaExhausted(vendor: VendorName): StatusFault | string {
  switch (vendor) {
    case 'openai':
      return {
        kind: 'status',
        status: 429,
        type: 'insufficient_quota',
        code: 'insufficient_quota',
        message: 'You exceeded your current quota, please check your plan and billing details.',
      };
    case 'anthropic':
      return {
        kind: 'status',
        status: 400,
        message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      };
    case 'bedrock':
      return { kind: 'status', status: 400, type: 'ServiceQuotaExceededException' };
    case 'gemini':
      return 'Gemini reports an exhausted quota as the same 429 RESOURCE_EXHAUSTED as a rate limit, which reg retries by design';
  }
}

/** A retryable in-band stream error after `afterParts` content parts, and the code reg gives it. */
export function inBandError(vendor: VendorName, afterParts: number): { fault: Fault; code: ErrorCode } {
  switch (vendor) {
    case 'openai':
      return { fault: { kind: 'stream-error', afterParts }, code: 'server' };
    case 'anthropic':
      return { fault: { kind: 'stream-error', afterParts, type: 'overloaded_error' }, code: 'overloaded' };
    case 'bedrock':
      return { fault: { kind: 'stream-error', afterParts, type: 'serviceUnavailableException' }, code: 'overloaded' };
    case 'gemini':
      return { fault: { kind: 'stream-error', afterParts, type: 'INTERNAL' }, code: 'server' };
  }
}

/** Whether the vendor has a status; 529 is Anthropic's own "overloaded". */
export function statusExists(vendor: VendorName, status: number): true | string {
  if (status === 529 && vendor !== 'anthropic') return `529 is Anthropic's own status; ${vendor} never sends it`;
  return true;
}
