import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, test } from 'vitest';
import { readSigV4Authorization, verifySigV4 } from './bedrock-sigv4.js';

// The `get-vanilla` case of AWS's published SigV4 test suite.
const VANILLA_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const VANILLA_NOW = new Date('2015-08-30T12:36:00Z');
const VANILLA_SIGNATURE = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';

function vanillaRequest(overrides: { headers?: IncomingHttpHeaders; authorization?: string } = {}) {
  return {
    method: 'GET',
    path: '/',
    query: {},
    rawBody: Buffer.alloc(0),
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization:
        overrides.authorization ??
        `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${VANILLA_SIGNATURE}`,
      ...overrides.headers,
    },
  };
}

const verify = (request: Parameters<typeof verifySigV4>[0], now = VANILLA_NOW) =>
  verifySigV4(request, { service: 'service', credentials: VANILLA_CREDENTIALS, now });

describe('verifySigV4', () => {
  test("accepts AWS's get-vanilla example and exposes its scope", () => {
    const verdict = verify(vanillaRequest());
    expect(verdict).toMatchObject({ ok: true, authorization: { accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'service', date: '20150830' } });
  });

  test('recomputes the signature: a changed header or signature no longer matches', () => {
    const tampered = verify(vanillaRequest({ headers: { host: 'other.amazonaws.com' } }));
    expect(tampered).toMatchObject({ ok: false, status: 403, type: 'InvalidSignatureException' });
    expect(tampered.ok || tampered.message).toMatch(/^The request signature we calculated does not match/);
    const wrongSignature = vanillaRequest({
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
    });
    expect(verify(wrongSignature)).toMatchObject({ ok: false, type: 'InvalidSignatureException' });
  });

  test('answers like AWS for missing, unknown, mis-scoped and stale credentials', () => {
    const { authorization: _removed, ...unsignedHeaders } = vanillaRequest().headers;
    expect(verify({ ...vanillaRequest(), headers: unsignedHeaders })).toMatchObject({ ok: false, status: 403, type: 'MissingAuthenticationTokenException' });
    const scoped = (credential: string, signedHeaders = 'host;x-amz-date') =>
      vanillaRequest({ authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${VANILLA_SIGNATURE}` });
    expect(verify(scoped('AKIDOTHER/20150830/us-east-1/service/aws4_request'))).toMatchObject({ status: 403, type: 'UnrecognizedClientException' });
    expect(verify(scoped('AKIDEXAMPLE/20150830/moon-base-1/service/aws4_request'))).toMatchObject({
      status: 403,
      type: 'InvalidSignatureException',
      message: 'Credential should be scoped to a valid region.',
      authorization: { region: 'moon-base-1' },
    });
    expect(verify(scoped('AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request'))).toMatchObject({ type: 'InvalidSignatureException', message: expect.stringContaining("'service'") });
    expect(verify(scoped('AKIDEXAMPLE/20150831/us-east-1/service/aws4_request'))).toMatchObject({ message: expect.stringContaining('Date in Credential scope') });
    expect(verify(scoped('AKIDEXAMPLE/20150830/us-east-1/service/aws4_request', 'x-amz-date'))).toMatchObject({ message: expect.stringContaining("'Host'") });
    expect(verify(scoped('AKIDEXAMPLE/20150830/us-east-1/service/aws4_request', 'host'))).toMatchObject({ message: expect.stringContaining("'X-Amz-Date'") });
    expect(verify(vanillaRequest(), new Date('2015-08-30T13:00:00Z'))).toMatchObject({ type: 'InvalidSignatureException', message: expect.stringMatching(/^Signature expired/) });
    expect(verify(vanillaRequest({ authorization: 'Bearer abc' }))).toMatchObject({ status: 400, type: 'IncompleteSignatureException' });
  });

  test('rejects a body that does not match its declared x-amz-content-sha256', () => {
    const request = { ...vanillaRequest({ headers: { 'x-amz-content-sha256': 'a'.repeat(64) } }), rawBody: Buffer.from('{}') };
    expect(verify(request)).toMatchObject({ ok: false, status: 403, type: 'InvalidSignatureException', message: expect.stringMatching(/^The request signature we calculated/) });
  });
});

describe('readSigV4Authorization', () => {
  test('parses the credential scope and signed headers', () => {
    expect(readSigV4Authorization(vanillaRequest().headers)).toEqual({
      algorithm: 'AWS4-HMAC-SHA256',
      accessKeyId: 'AKIDEXAMPLE',
      date: '20150830',
      region: 'us-east-1',
      service: 'service',
      terminator: 'aws4_request',
      signedHeaders: ['host', 'x-amz-date'],
      signature: VANILLA_SIGNATURE,
    });
    expect(readSigV4Authorization({})).toBeUndefined();
  });
});
