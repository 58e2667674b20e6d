import type { CliContext } from '../cli/context.js';

/**
 * One line per item, updated in place on a terminal; on anything else (a pipe, a CI log) each
 * item prints one plain line when it finishes.
 */
export class ProgressLines {
  readonly #stream: CliContext['stderr'];
  readonly #labels: string[];
  readonly #width: number;
  readonly #live: boolean;

  constructor(stream: CliContext['stderr'], labels: string[]) {
    this.#stream = stream;
    this.#labels = labels;
    this.#width = Math.max(0, ...labels.map((label) => label.length));
    this.#live = stream.isTTY === true;
    if (this.#live) for (const label of labels) stream.write(`${this.#line(label, '...')}\n`);
  }

  finish(index: number, status: string): void {
    const line = this.#line(this.#labels[index]!, status);
    if (!this.#live) {
      this.#stream.write(`${line}\n`);
      return;
    }
    // Up to the item's line, rewrite it, and back down below the block.
    const up = this.#labels.length - index;
    this.#stream.write(`\x1b[${up}A\r\x1b[2K${line}\x1b[${up}B\r`);
  }

  #line(label: string, status: string): string {
    return `  ${label.padEnd(this.#width)}  ${status}`;
  }
}
