import type { Fault, StatusFault } from '../emulator/types.js';
import type { ErrorCase, ExpectedError } from './types.js';

/** A `status` fault: the vendor renders its own body and headers for it. */
export function statusFault(status: number, extra: Partial<Omit<StatusFault, 'kind' | 'status'>> = {}): StatusFault {
  return { kind: 'status', status, ...extra };
}

/**
 * The HTTP errors every provider must map, whatever its vendor: 401, 403, 404, 400, an over-long
 * prompt, 429 with `retry-after`, 500 and 503. `contextLength` is how the vendor says a prompt is
 * too long (its message and error type or code, as its routes render them).
 */
export function commonErrorCases(input: { contextLength: Partial<Pick<StatusFault, 'message' | 'type' | 'code'>> }): ErrorCase[] {
  return [
    { name: '401', fault: statusFault(401), expected: { code: 'auth', retryable: false, status: 401 } },
    { name: '403', fault: statusFault(403), expected: { code: 'auth', retryable: false, status: 403 } },
    { name: '404', fault: statusFault(404), expected: { code: 'not_found', retryable: false, status: 404 } },
    { name: '400', fault: statusFault(400), expected: { code: 'invalid_request', retryable: false, status: 400 } },
    {
      name: '400 context length',
      fault: statusFault(400, input.contextLength),
      expected: { code: 'context_length', retryable: false, status: 400 },
    },
    {
      name: '429 with retry-after',
      fault: statusFault(429, { retryAfterSeconds: 3 }),
      expected: { code: 'rate_limited', retryable: true, retryAfterMs: 3000, status: 429 },
    },
    { name: '500', fault: statusFault(500), expected: { code: 'server', retryable: true, status: 500 } },
    { name: '503', fault: statusFault(503), expected: { code: 'overloaded', retryable: true, status: 503 } },
  ];
}

/** An in-band error of the vendor's `type` (its default one when undefined), sent before any content. */
export function streamErrorCase(type: string | undefined, expected: ExpectedError): ErrorCase {
  const fault: Fault = { kind: 'stream-error', afterParts: 0, ...(type ? { type } : {}) };
  return { name: `in-band ${type ?? 'default'} error`, fault, expected };
}
