import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the demo shows a fallback surviving a failing primary and round-robin spreading calls', () => {
  const output = execFileSync(process.execPath, [fileURLToPath(new URL('./demo.mjs', import.meta.url))], { encoding: 'utf8' });
  expect(output).toContain('call 1: answered by Backup (gpt-flaky) after 5 attempts: Primary overloaded 529 -> Primary overloaded 529 -> Primary overloaded 529 -> Backup rate_limited 429 -> Backup ok');
  expect(output).toContain('call 2: answered by Backup (gpt-flaky) after 4 attempts');
  const spread = [...output.matchAll(/answered by (Key\d)/g)].map((match) => match[1]);
  expect(spread).toEqual(['Key1', 'Key2', 'Key3', 'Key1', 'Key2', 'Key3']);
  expect(output).toMatch(/"hello from gpt-flaky" from Backup after 4 attempts/);
});
