/** A mistake on the command line: reported with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help the hint points to, when there is one. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
