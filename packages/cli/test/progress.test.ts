import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressLines } from '../src/output/progress.js';
import { formatTable } from '../src/output/table.js';

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
  return { stream, written: () => written };
}

describe('ProgressLines', () => {
  it('on a terminal, draws a line per item and rewrites that line in place when it finishes', () => {
    const { stream, written } = capture(true);
    const progress = new ProgressLines(stream, ['Claude', 'GPT']);
    expect(written()).toBe('  Claude  ...\n  GPT     ...\n');
    progress.finish(0, 'ok  12 ms');
    // Up two lines (Claude's), clear it, write, back down two.
    expect(written().slice('  Claude  ...\n  GPT     ...\n'.length)).toBe('\x1b[2A\r\x1b[2K  Claude  ok  12 ms\x1b[2B\r');
  });

  it('elsewhere, prints one plain line per item as it finishes', () => {
    const { stream, written } = capture(false);
    const progress = new ProgressLines(stream, ['Claude', 'GPT']);
    progress.finish(1, 'failed [auth]');
    progress.finish(0, 'ok');
    expect(written()).toBe('  GPT     failed [auth]\n  Claude  ok\n');
  });
});

describe('formatTable', () => {
  it('pads columns to the widest cell and rules the header', () => {
    expect(formatTable(['client', 'status'], [['Claude', 'ok'], ['G', 'failed']])).toBe('client  status\n------  ------\nClaude  ok\nG       failed\n');
  });
});
