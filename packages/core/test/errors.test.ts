import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClientRegistry, MemoryStateStore, redactSecrets, RegError, type RegistryEvents } from '@reg/core';
import { createScriptedProvider, user } from './scripted-provider.js';

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
