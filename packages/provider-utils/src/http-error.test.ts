import { describe, expect, it } from 'vitest';
import { durationToMs, errorFromHttpResponse, retryAfterMs } from './http-error.js';

describe('errorFromHttpResponse', () => {
  it.each([
    [400, 'bad', 'invalid_request', false],
    [401, 'no key', 'auth', false],
    [403, 'forbidden', 'auth', false],
    [404, 'no model', 'not_found', false],
    [408, 'slow', 'timeout', true],
    [409, 'conflict', 'server', true],
    [413, 'too big', 'invalid_request', false],
    [422, 'unprocessable', 'invalid_request', false],
    [429, 'slow down', 'rate_limited', true],
    [500, 'oops', 'server', true],
    [502, 'bad gateway', 'server', true],
    [503, 'unavailable', 'overloaded', true],
    [504, 'gateway timeout', 'timeout', true],
    [529, 'Overloaded', 'overloaded', true],
  ])('status %i -> %s, retryable %s', (status, message, code, retryable) => {
    expect(errorFromHttpResponse({ status, message })).toMatchObject({ code, retryable, status });
  });

  it('recognises context length, content filter and quota exhaustion (never retried)', () => {
    expect(errorFromHttpResponse({ status: 400, message: "This model's maximum context length is 128000 tokens" }).code).toBe('context_length');
    expect(errorFromHttpResponse({ status: 400, message: 'prompt is too long: 210000 tokens > 200000 maximum' }).code).toBe('context_length');
    expect(errorFromHttpResponse({ status: 400, message: 'Input is too long for requested model.' }).code).toBe('context_length');
    expect(
      errorFromHttpResponse({ status: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).' }).code,
    ).toBe('context_length');
    expect(errorFromHttpResponse({ status: 400, message: 'flagged', vendorCodes: ['content_policy_violation'] }).code).toBe('content_filter');
    const quota = errorFromHttpResponse({ status: 429, message: 'You exceeded your current quota', vendorCodes: ['insufficient_quota'] });
    expect(quota).toMatchObject({ code: 'quota', retryable: false });
  });

  it("takes the vendor's own rule where the status cannot tell, x-should-retry still winning", () => {
    const rateLimit = errorFromHttpResponse({ status: 429, message: 'Quota exceeded; check your plan and billing details', vendorRule: { code: 'rate_limited' } });
    expect(rateLimit).toMatchObject({ code: 'rate_limited', retryable: true, status: 429 });
    const modelError = errorFromHttpResponse({ status: 424, message: 'The model failed', vendorRule: { code: 'server', retryable: false } });
    expect(modelError).toMatchObject({ code: 'server', retryable: false });
    const told = errorFromHttpResponse({ status: 424, message: 'x', headers: { 'x-should-retry': 'true' }, vendorRule: { code: 'server', retryable: false } });
    expect(told.retryable).toBe(true);
  });

  it('lets x-should-retry win', () => {
    expect(errorFromHttpResponse({ status: 400, message: 'x', headers: { 'x-should-retry': 'true' } }).retryable).toBe(true);
    expect(errorFromHttpResponse({ status: 503, message: 'x', headers: new Headers({ 'x-should-retry': 'false' }) }).retryable).toBe(false);
  });

  it('reads retry-after-ms, retry-after seconds and dates, and protobuf durations', () => {
    expect(retryAfterMs({ 'retry-after-ms': '1500.5' })).toBe(1501);
    expect(retryAfterMs({ 'Retry-After': '2' })).toBe(2000);
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(retryAfterMs({ 'retry-after': 'Sun, 22 Nov 2026 10:00:03 GMT' }, now)).toBe(3000);
    expect(retryAfterMs({})).toBeUndefined();
    expect(durationToMs('7s')).toBe(7000);
    expect(durationToMs('0.25s')).toBe(250);
    expect(errorFromHttpResponse({ status: 429, message: 'x', headers: { 'retry-after': '3' } }).retryAfterMs).toBe(3000);
  });
});

