import type { CommandSpec } from '../cli/command-spec.js';
import { CONFIG_FILE_NAMES } from '../cli/config-file.js';

export const DEFAULT_PORT = 8787;

export const serveSpec: CommandSpec = {
  name: 'serve',
  summary: 'Runs the reg gateway: an OpenAI-compatible server (POST /v1/chat/completions, GET /v1/models, /healthz, /readyz, /metrics) over the clients of a config file.',
  usage: 'reg serve [options]',
  positionals: { min: 0, max: 0 },
  flags: [
    { name: 'config', short: 'c', type: 'string', value: 'file', description: `Config file (default: ${CONFIG_FILE_NAMES.join(', ')} in the current folder). SIGHUP reloads it.` },
    { name: 'port', short: 'p', type: 'string', value: 'number', description: `Port to listen on (default ${DEFAULT_PORT}; 0 picks a free one).` },
    { name: 'host', type: 'string', value: 'address', description: 'Address to bind (default 0.0.0.0).' },
    { name: 'key', type: 'string', multiple: true, value: 'key', description: 'A gateway key clients must send as Authorization: Bearer <key> (default: REG_GATEWAY_KEYS, comma-separated).' },
    { name: 'insecure-local', type: 'boolean', description: 'Require no gateway key; binds 127.0.0.1 only.' },
    {
      name: 'state-redis',
      type: 'string',
      value: 'url',
      description: 'Share round-robin cursors, circuit breakers, cooldowns and retry budgets with other gateways through Redis (redis://[:password@]host:port[/db]; default REG_STATE_REDIS_URL). If Redis is down, each gateway carries on with local state.',
    },
  ],
  notes: [
    'Signals: SIGTERM or SIGINT stops accepting and lets in-flight requests finish, then exits 0;',
    'SIGHUP reloads the config (a bad config is logged and the old one kept).',
    'Exit codes: 0 stopped cleanly, 1 could not start (invalid config, port in use, no gateway key), 2 usage error.',
  ],
};
