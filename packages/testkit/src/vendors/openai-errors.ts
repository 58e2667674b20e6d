import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import type { Exchange, StatusFault } from '../emulator/types.js';

/** The vendors that speak OpenAI's wire format; each differs in auth, headers and error bodies. */
export type OpenAIFamilyVendor = 'openai' | 'azure' | 'openrouter';

/** A 400 the vendor sends for a request an SDK could get wrong. */
export interface InvalidRequest {
  message: string;
  param: string | null;
  code: string | null;
}

export function randomId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

/** Headers the vendor puts on every response, errors included; call it right before sending. */
export function familyHeaders(exchange: Exchange, vendor: OpenAIFamilyVendor): Record<string, string> {
  const processingMs = String(Math.max(1, Math.round(performance.now() - exchange.request.receivedAt)));
  switch (vendor) {
    case 'openai':
      return {
        'x-request-id': randomId('req_', 16),
        'openai-processing-ms': processingMs,
        'openai-version': '2020-10-01',
        'openai-organization': 'reg-emulator',
        'x-ratelimit-limit-requests': '10000',
        'x-ratelimit-remaining-requests': '9999',
        'x-ratelimit-reset-requests': '6ms',
        'x-ratelimit-limit-tokens': '10000000',
        'x-ratelimit-remaining-tokens': '9999990',
        'x-ratelimit-reset-tokens': '0s',
      };
    case 'azure': {
      const requestId = randomUUID();
      return { 'x-request-id': requestId, 'apim-request-id': requestId, 'x-ms-region': 'East US', 'openai-processing-ms': processingMs };
    }
    case 'openrouter':
      return {};
  }
}

/**
 * Checks the credential the way each vendor does and sends its own 401 when it fails.
 * Azure accepts its key in `api-key`, or any bearer token as Microsoft Entra ID (the emulator
 * cannot verify Entra tokens; the test reads the recorded `authorization` header instead).
 */
export function authenticate(exchange: Exchange, vendor: OpenAIFamilyVendor): boolean {
  const headers = exchange.request.headers;
  const bearer = bearerToken(headers.authorization);
  switch (vendor) {
    case 'openai': {
      if (bearer === TEST_CREDENTIALS.openai) return true;
      const error =
        bearer === undefined
          ? {
              message:
                "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
              type: 'invalid_request_error',
              param: null,
              code: null,
            }
          : {
              message: `Incorrect API key provided: ${redactKey(bearer)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
              type: 'invalid_request_error',
              param: null,
              code: 'invalid_api_key',
            };
      exchange.json(401, { error }, familyHeaders(exchange, vendor));
      return false;
    }
    case 'azure': {
      const apiKey = headers['api-key'];
      if (apiKey === TEST_CREDENTIALS.azure) return true;
      if (apiKey === undefined && bearer) return true;
      exchange.json(
        401,
        {
          error: {
            code: '401',
            message:
              'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
          },
        },
        familyHeaders(exchange, vendor),
      );
      return false;
    }
    case 'openrouter': {
      if (bearer === TEST_CREDENTIALS.openrouter) return true;
      const message = bearer === undefined ? 'No auth credentials found' : 'User not found.';
      exchange.json(401, { error: { message, code: 401 } }, familyHeaders(exchange, vendor));
      return false;
    }
  }
}

/** Sends the vendor's 400 for an invalid request body. */
export function sendInvalidRequest(exchange: Exchange, vendor: OpenAIFamilyVendor, invalid: InvalidRequest): void {
  const body =
    vendor === 'openrouter'
      ? { error: { code: 400, message: invalid.message } }
      : { error: { message: invalid.message, type: 'invalid_request_error', param: invalid.param, code: invalid.code } };
  exchange.json(400, body, familyHeaders(exchange, vendor));
}

/** Sends a scripted HTTP error with the vendor's body and the retry headers the fault asks for. */
export function sendStatusFault(exchange: Exchange, vendor: OpenAIFamilyVendor, fault: StatusFault, model: string): void {
  const headers: Record<string, string> = familyHeaders(exchange, vendor);
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  if (fault.shouldRetry !== undefined) headers['x-should-retry'] = String(fault.shouldRetry);
  Object.assign(headers, fault.headers);
  exchange.json(fault.status, statusErrorBody(vendor, fault, model), headers);
}

/** The `error` object of an HTTP error body, as each vendor writes it. */
function statusErrorBody(vendor: OpenAIFamilyVendor, fault: StatusFault, model: string): { error: Record<string, unknown> } {
  const openai = openaiStatusError(fault, model);
  if (vendor === 'openrouter') {
    return { error: { code: fault.status, message: openai.message, ...(fault.type || fault.code ? { metadata: { type: fault.type, code: fault.code } } : {}) } };
  }
  // Azure's gateway answers auth, routing and quota errors itself, with the status as a string code.
  if (vendor === 'azure' && [401, 403, 404, 429].includes(fault.status)) {
    return { error: { code: fault.code ?? String(fault.status), message: fault.message ?? azureGatewayMessage(fault, model) } };
  }
  return { error: openai };
}

/** OpenAI's error object for a status, with the type and code OpenAI sends for it by default. */
export function openaiStatusError(
  fault: Pick<StatusFault, 'status' | 'message' | 'type' | 'code' | 'retryAfterSeconds'>,
  model: string,
): { message: string; type: string; param: string | null; code: string | null } {
  const defaults = openaiStatusDefaults(fault.status, model, fault.retryAfterSeconds);
  return {
    message: fault.message ?? defaults.message,
    type: fault.type ?? defaults.type,
    param: null,
    code: fault.code ?? defaults.code,
  };
}

function openaiStatusDefaults(status: number, model: string, retryAfterSeconds: number | undefined) {
  switch (status) {
    case 400:
      return { type: 'invalid_request_error', code: null, message: 'Invalid request.' };
    case 401:
      return { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' };
    case 403:
      return { type: 'request_forbidden', code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported' };
    case 404:
      return { type: 'invalid_request_error', code: 'model_not_found', message: `The model \`${model}\` does not exist or you do not have access to it.` };
    case 429:
      return {
        type: 'requests',
        code: 'rate_limit_exceeded',
        message: `Rate limit reached for ${model} in organization org-reg-emulator on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${retryAfterSeconds ?? 1}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      };
    case 500:
      return { type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' };
    case 503:
      return { type: 'server_error', code: null, message: 'The server is overloaded or not ready yet.' };
    default:
      return status >= 500
        ? { type: 'server_error', code: null, message: `The server had an error (${status}) while processing your request.` }
        : { type: 'invalid_request_error', code: null, message: `Request failed with status ${status}.` };
  }
}

function azureGatewayMessage(fault: StatusFault, model: string): string {
  switch (fault.status) {
    case 429:
      return `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after ${fault.retryAfterSeconds ?? 1} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`;
    case 404:
      return `The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again. (deployment: ${model})`;
    case 403:
      return 'Public access is disabled. Please configure private endpoint.';
    default:
      return 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';
  }
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return match?.[1]?.trim() || undefined;
}

/** OpenAI echoes a wrong key with its middle starred out. */
function redactKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}
