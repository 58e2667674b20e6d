import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClientRegistry, errorFromHttpResponse, MemoryStateStore, redactSecrets, RegError, retryAfterMs, durationToMs, type RegistryEvents } from '@reg/core';
import { createScriptedProvider, user } from './scripted-provider.js';

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

describe('secrets', () => {
  it('scrubs keys, tokens and signatures from text', () => {
    const text = redactSecrets(
      'key sk-proj-abcdefghijklmnop and sk-ant-api03-zzzzzzzzzzzz, Bearer ya29.tokenvalue, AKIAABCDEFGHIJKLMNOP, ' +
        'Signature=0123456789abcdef0123456789abcdef, ?key=AIzaSyA-1234567890abcdefghijklmnopqrstu&x=1, x-api-key: hunter22secret',
    );
    for (const secret of ['abcdefghijklmnop', 'zzzzzzzzzzzz', 'ya29.tokenvalue', 'EFGHIJKLMNOP', '0123456789abcdef0123', 'AIzaSyA', 'hunter22secret']) {
      expect(text).not.toContain(secret);
    }
  });

  it('keeps a client key out of error messages, toJSON and events', async () => {
    const scripted = createScriptedProvider();
    const secret = 'plain-looking-secret-value';
    scripted.script('m', [{ error: { code: 'auth', status: 401, message: `Incorrect API key provided: ${secret}` } }]);
    const registry = new ClientRegistry({ providers: [scripted.provider], store: new MemoryStateStore() });
    registry.addLlmClient('A', 'scripted', { model: 'm', api_key: secret });
    const seen: unknown[] = [];
    registry.on('attempt', (event) => seen.push(event));
    registry.on('failure', (event: RegistryEvents['failure']) => seen.push({ ...event, error: event.error.toJSON() }));
    const error = (await registry.generate(user('x'), { client: 'A' }).catch((thrown: unknown) => thrown)) as RegError;
    expect(error.message).toContain('Incorrect API key provided');
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(JSON.stringify(seen)).not.toContain(secret);
    expect(seen.length).toBe(2);
  });

  it('never puts a key into an error of its own making', () => {
    const error = new RegError({ code: 'auth', message: 'header authorization: Bearer sk-live-1234567890abcdef', cause: new Error('api-key=sk-abcdefghijklmn') });
    expect(JSON.stringify(error.toJSON())).not.toMatch(/1234567890abcdef|abcdefghijklmn/);
  });
});

describe('isInstance', () => {
  it('recognises errors from another copy of @reg/core, where instanceof cannot', () => {
    const dist = fileURLToPath(new URL('../dist', import.meta.url));
    const copies = mkdtempSync(join(tmpdir(), 'reg-copies-'));
    cpSync(dist, join(copies, 'a'), { recursive: true });
    cpSync(dist, join(copies, 'b'), { recursive: true });
    const script = `
      const a = await import(${JSON.stringify(join(copies, 'a', 'index.js'))});
      const b = await import(${JSON.stringify(join(copies, 'b', 'index.js'))});
      const error = new a.ConfigError([{ path: 'x', message: 'y' }]);
      console.log(JSON.stringify([error instanceof b.RegError, b.RegError.isInstance(error), b.ConfigError.isInstance(error), b.TimeoutError.isInstance(error)]));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual([false, true, true, false]);
  });
});
