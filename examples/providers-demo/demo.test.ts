import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('the demo rides a fallback chain across four vendors, honours Retry-After, balances keys and streams', async () => {
  const demo = fileURLToPath(new URL('./demo.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [demo], { encoding: 'utf8', timeout: 60_000 });
  expect(stdout).toContain('"Hello from GPT, the last in the chain." from GPT (openai)');
  expect(stdout).toMatch(
    /attempts: Claude overloaded 529 \(\d+ ms\) -> Claude overloaded 529 \(\d+ ms\) -> Claude overloaded 529 \(\d+ ms\) -> Gemini rate_limited 429 \(\d+ ms\) -> Bedrock overloaded 503 \(\d+ ms\) -> GPT rate_limited 429 \(\d+ ms\) -> GPT ok/,
  );
  // GPT's 429 asked for one second; the call waited for it.
  const elapsed = Number(/GPT \(openai\) in (\d+) ms/.exec(stdout)?.[1]);
  expect(elapsed).toBeGreaterThanOrEqual(1000);
  expect([...stdout.matchAll(/answered by (Key[AB])/g)].map((match) => match[1])).toEqual(['KeyA', 'KeyB', 'KeyA', 'KeyB']);
  expect(stdout).toMatch(/Hello from GPT, the last in the chain\.\n\s+finished by GPT: stop, \d+ tokens/);
});
