import type { CommandSpec } from '../cli/command-spec.js';
import { CONFIG_FILE_NAMES } from '../cli/config-file.js';

export const checkSpec: CommandSpec = {
  name: 'check',
  summary: 'Validates a config file and lists its clients; with --ping, also sends one tiny request to each leaf client.',
  usage: 'reg check [options]',
  positionals: { min: 0, max: 0 },
  flags: [
    { name: 'config', short: 'c', type: 'string', value: 'file', description: `Config file (default: ${CONFIG_FILE_NAMES.join(', ')} in the current folder).` },
    { name: 'ping', type: 'boolean', description: 'Call every leaf client once (at most 5 output tokens), concurrently, and report status and latency.' },
    { name: 'timeout-ms', type: 'string', value: 'ms', description: 'With --ping: the longest each client may take, retries included (default 30000).' },
    { name: 'json', type: 'boolean', description: 'Print the result as JSON on stdout.' },
  ],
  notes: ['Exit codes: 0 valid (and every ping answered), 1 invalid config (every issue is printed with its path),', '2 usage error, 3 valid but at least one client failed its ping.'],
};
