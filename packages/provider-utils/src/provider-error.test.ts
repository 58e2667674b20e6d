import { AbortedError, RegError } from '@reg/core';
import { describe, expect, it } from 'vitest';
import { errorCodesOf, errorMessageOf, httpError, inBandError, malformedResponseError, mapCommonError, UnsupportedPartError, withAdvice } from './provider-error.js';

const context = { client: 'Fast', provider: 'acme', model: 'acme-1' };

describe('provider errors', () => {
  it('classifies an HTTP answer by status, words and codes, naming the client and giving advice', () => {
    const error = httpError({ status: 429, message: 'Slow down.', headers: { 'retry-after': '2' }, vendorCodes: ['rate_limit_error'], context });
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryable: true, retryAfterMs: 2000, client: 'Fast', provider: 'acme', model: 'acme-1' });
    expect(error.message).toBe("Client 'Fast' (acme, model acme-1) failed with HTTP 429: Slow down. The vendor is rate-limiting this key; the registry waits as asked before retrying.");
    const own = httpError({ status: 401, message: 'bad key', context, advice: { auth: 'Check options.api_key (or ACME_API_KEY).' } });
    expect(own.message).toMatch(/Check options\.api_key \(or ACME_API_KEY\)\.$/);
  });

  it('classifies an in-band error like the same error sent as a status, but keeps no status', () => {
    const error = inBandError({ status: 529, message: 'Overloaded', vendorCodes: ['overloaded_error'], context });
    expect(error).toMatchObject({ code: 'overloaded', retryable: true, status: undefined });
    expect(error.message).toMatch(/^Client 'Fast' \(acme, model acme-1\): the stream reported an error: Overloaded/);
  });

  it('maps what is left: RegErrors as they are, aborts, transport failures, bad data, anything else', () => {
    const reg = new RegError({ code: 'quota', message: 'out of credits' });
    expect(mapCommonError(reg, context)).toBe(reg);
    expect(mapCommonError(new DOMException('This operation was aborted', 'AbortError'), context)).toBeInstanceOf(AbortedError);
    expect(mapCommonError(new TypeError('terminated'), context)).toMatchObject({ code: 'connection', retryable: true });
    expect(mapCommonError(new SyntaxError('Unexpected end of JSON input'), context)).toMatchObject({ code: 'server', retryable: true });
    expect(malformedResponseError(context, new SyntaxError('bad\nframe')).message).toBe("Client 'Fast' (acme, model acme-1): the server sent data that could not be read (bad).");
    expect(mapCommonError(new Error('something odd'), context)).toMatchObject({ code: 'server', retryable: false, message: "Client 'Fast' (acme, model acme-1) failed: something odd" });
    const refused = new UnsupportedPartError('is a file of type audio/wav; acme takes application/pdf.').at(1, 2);
    expect(mapCommonError(refused, context)).toMatchObject({
      code: 'invalid_request',
      retryable: false,
      message: "Client 'Fast' (acme, model acme-1) cannot send the request: messages[1].content[2] is a file of type audio/wav; acme takes application/pdf.",
    });
  });

  it('appends advice once, the provider’s own before the default', () => {
    const error = withAdvice(new RegError({ code: 'not_found', message: 'No model.' }), { not_found: 'Check options.model.' });
    expect(error.message).toBe('No model. Check options.model.');
    expect(withAdvice(new RegError({ code: 'server', message: 'Oops.' })).message).toBe('Oops.');
  });

  it("reads the vendor's words and codes out of the common body shapes", () => {
    expect(errorMessageOf({ error: { message: 'Invalid key', type: 'invalid_request_error' } })).toBe('Invalid key');
    expect(errorMessageOf({ error: 'model not loaded' })).toBe('model not loaded');
    expect(errorMessageOf({ detail: [{ msg: 'field required' }, { msg: 'bad type' }] })).toBe('field required; bad type');
    expect(errorMessageOf({ unexpected: true })).toBe('{"unexpected":true}');
    expect(errorCodesOf({ error: { type: 'invalid_request_error', code: 'context_length_exceeded' } })).toEqual(['invalid_request_error', 'context_length_exceeded']);
    expect(errorCodesOf({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } })).toEqual(['429', 'RESOURCE_EXHAUSTED']);
    expect(errorCodesOf({ error: 'insufficient_quota', metadata: { code: 'billing' } })).toEqual(['insufficient_quota', 'billing']);
  });
});
