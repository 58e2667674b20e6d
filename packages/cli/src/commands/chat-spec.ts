import type { CommandSpec } from '../cli/command-spec.js';
import { CONFIG_FILE_NAMES } from '../cli/config-file.js';

export const chatSpec: CommandSpec = {
  name: 'chat',
  summary: 'Sends one prompt, streams the answer to stdout, then prints to stderr which client answered after which attempts, the tokens and the time.',
  usage: 'reg chat [options] <prompt | ->',
  positionals: { min: 1, max: 1 },
  flags: [
    { name: 'config', short: 'c', type: 'string', value: 'file', description: `Config file (default: ${CONFIG_FILE_NAMES.join(', ')} in the current folder, else the default client anthropic/claude-haiku-4-5-20251001 with ANTHROPIC_API_KEY).` },
    { name: 'client', type: 'string', value: 'name', description: "Client to call: a client name or 'provider/model' (default: the config's primary)." },
    { name: 'timeout-ms', type: 'string', value: 'ms', description: 'Bounds the whole call, retries and fallbacks included.' },
  ],
  notes: ["A prompt of '-' is read from stdin.", 'Exit codes: 0 answered, 1 the call failed (the error code is printed), 2 usage error, 130 interrupted.'],
};
