/** What `reg` exits with, for scripts. */
export const EXIT = {
  ok: 0,
  /** The command failed: invalid config, a failed call, a server that could not start. */
  failed: 1,
  /** The command line was wrong: unknown flag or command, a bad value, a missing argument. */
  usage: 2,
  /** `reg check --ping`: the config is valid but at least one client did not answer. */
  pingFailed: 3,
} as const;
