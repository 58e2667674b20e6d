import { describe, expect, it } from 'vitest';
import { runReg } from './run-reg.js';

describe('reg demo', () => {
  it('shows fallback, an honoured Retry-After and round-robin through the gateway, then exits 0', async () => {
    const run = await runReg(['demo']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').map((line) => line.split(/\s{2,}/));
    expect(rows).toContainEqual(['request', 'model asked', 'answered by', 'attempts', 'time', 'what happened']);
    const row = (request: string) => rows.filter((cells) => cells[0] === request);
    const chain = 'Claude overloaded 529 -> Claude overloaded 529 -> Gemini rate_limited 429 -> Bedrock overloaded 503 -> GPT ok';
    expect(row('fallback')).toEqual([['fallback', 'Resilient', 'GPT', '5', expect.any(String), chain]]);
    // Gemini's 429 asked for 30 s: the next call skips it without a request.
    const cooled = 'Claude overloaded 529 -> Claude overloaded 529 -> Gemini skipped (cooling down) -> Bedrock overloaded 503 -> GPT ok';
    expect(row('fallback, streamed')).toEqual([
      ['fallback, streamed', 'Resilient', 'GPT', '5', expect.any(String), cooled],
    ]);
    const retryAfter = row('Retry-After honoured')[0]!;
    expect(retryAfter.slice(0, 4)).toEqual(['Retry-After honoured', 'Mini', 'Mini', '2']);
    // The emulator asked for 1 s; the retry waited for it.
    expect(retryAfter[4]).toMatch(/^1\.\d s$/);
    expect([1, 2, 3, 4].map((call) => row(`round-robin ${call}`)[0]![2])).toEqual(['KeyA', 'KeyB', 'KeyA', 'KeyB']);
  });
});
