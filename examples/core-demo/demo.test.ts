import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the demo shows a fallback surviving a failing primary and round-robin spreading calls', () => {
  const output = execFileSync(process.execPath, [fileURLToPath(new URL('./demo.mjs', import.meta.url))], { encoding: 'utf8' });
  expect(output).toContain('call 1: answered by Backup (gpt-flaky) after 5 attempts: Primary overloaded 529 -> Primary overloaded 529 -> Primary overloaded 529 -> Backup rate_limited 429 -> Backup ok');
  // Primary's fifth failure in a row opens its breaker: no more retries, and later calls skip it.
  expect(output).toContain('call 2: answered by Backup (gpt-flaky) after 3 attempts: Primary overloaded 529 -> Primary overloaded 529 (its breaker opens) -> Backup ok');
  const spread = [...output.matchAll(/answered by (Key\d)/g)].map((match) => match[1]);
  expect(spread).toEqual(['Key1', 'Key2', 'Key3', 'Key1', 'Key2', 'Key3']);
  expect(output).toContain('"hello from gpt-flaky" from Backup after 2 attempts: Primary skipped (circuit_open) -> Backup ok');
});
