import { commonErrorCases, statusFault, streamErrorCase, type ConformanceVendor, type RecordedRequest } from '@reg/testkit';
import { KEY_HEADER } from '../echo-api.js';
import { ECHO_TEST_KEY, ECHO_VENDOR, echoBaseUrl, echoRoutes } from './echo-routes.js';

/**
 * The Echo API as `@reg/testkit`'s conformance suite checks it:
 * `testProvider({ provider: echo, vendor: echoConformanceVendor, options })`.
 */
export const echoConformanceVendor: ConformanceVendor = {
  name: ECHO_VENDOR,
  routes: echoRoutes,
  baseUrl: echoBaseUrl,
  systemText: (request) => String((request.body as { instructions?: unknown } | undefined)?.instructions ?? ''),
  errorCases: [
    ...commonErrorCases({ contextLength: { type: 'context_too_long', message: 'The turns hold 140000 tokens; this model reads at most 128000.' } }),
    { name: '402 out_of_credits', fault: statusFault(402, { type: 'out_of_credits' }), expected: { code: 'quota', retryable: false, status: 402 } },
    { name: '400 blocked', fault: statusFault(400, { type: 'blocked' }), expected: { code: 'content_filter', retryable: false, status: 400 } },
    {
      name: '503 overloaded with retry-after',
      fault: statusFault(503, { retryAfterSeconds: 2 }),
      expected: { code: 'overloaded', retryable: true, retryAfterMs: 2000, status: 503 },
    },
  ],
  streamErrorCases: [
    streamErrorCase(undefined, { code: 'server', retryable: true }),
    streamErrorCase('overloaded', { code: 'overloaded', retryable: true }),
    streamErrorCase('rate_limited', { code: 'rate_limited', retryable: true }),
    streamErrorCase('bad_request', { code: 'invalid_request', retryable: false }),
  ],
  // `tokens` carries cache writes (`cache_written`) and reasoning (`reasoning`).
  usage: { cacheWrites: true, reasoning: true },
  secrets: [ECHO_TEST_KEY],
  wireSecrets: (request: RecordedRequest) => [request.headers[KEY_HEADER]].filter((value): value is string => typeof value === 'string'),
};
