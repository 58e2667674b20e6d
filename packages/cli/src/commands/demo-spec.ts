import type { CommandSpec } from '../cli/command-spec.js';

export const demoSpec: CommandSpec = {
  name: 'demo',
  summary:
    "Starts local emulators of the vendors' APIs and the reg gateway on an example config, sends requests through the gateway with the official openai SDK, and shows retries, fallback and round-robin: who answered, after how many attempts. Offline; nothing leaves the machine.",
  usage: 'reg demo [options]',
  positionals: { min: 0, max: 0 },
  flags: [{ name: 'port', short: 'p', type: 'string', value: 'number', description: 'Port of the demo gateway (default 0: a free one).' }],
};
