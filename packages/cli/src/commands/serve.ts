import { startGateway, type RunningGateway } from '@reg/gateway';
import type { RedisStateStore } from '@reg/state-redis';
import { integerFlag, parseCommand, stringFlag } from '../cli/command-spec.js';
import { CONFIG_FILE_NAMES, findConfigFile } from '../cli/config-file.js';
import type { CliContext } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';
import { loadProviders } from '../cli/providers.js';
import { UsageError } from '../cli/usage-error.js';
import { describeError } from '../output/describe.js';
import { DEFAULT_PORT, serveSpec } from './serve-spec.js';

export async function serve(args: string[], context: CliContext): Promise<number> {
  const { values } = parseCommand(serveSpec, args);
  const port = integerFlag(serveSpec, values, 'port', { min: 0, max: 65_535 }) ?? DEFAULT_PORT;
  const host = stringFlag(values, 'host');
  const insecureLocal = values['insecure-local'] === true;
  if (insecureLocal && host !== undefined && host !== '127.0.0.1') {
    throw new UsageError(`reg serve: --insecure-local binds 127.0.0.1 only; it cannot be combined with --host ${host}`, 'serve');
  }
  const file = findConfigFile(stringFlag(values, 'config'), context.cwd);
  if (file === undefined) {
    throw new UsageError(`reg serve: no config file in ${context.cwd} (looked for ${CONFIG_FILE_NAMES.join(', ')}); pass --config <file>`, 'serve');
  }
  const keys = Array.isArray(values.key) ? values.key : [];
  const redisUrl = stringFlag(values, 'state-redis') ?? (context.env.REG_STATE_REDIS_URL || undefined);
  let store: RedisStateStore | undefined;
  let gateway: RunningGateway;
  try {
    if (redisUrl !== undefined) store = await sharedStore(redisUrl, context);
    gateway = await startGateway({
      ...(store ? { store } : {}),
      config: file,
      port,
      host,
      insecureLocal,
      // Without --key the gateway reads REG_GATEWAY_KEYS itself.
      ...(keys.length > 0 ? { keys } : {}),
      env: context.env,
      // Request-defined registries may name any first-party provider.
      providers: await loadProviders(),
    });
  } catch (error) {
    await store?.close();
    context.stderr.write(`reg serve: could not start the gateway\n${describeError(error)}\n`);
    return EXIT.failed;
  }
  const shared = store ? `, state shared through ${store.server}` : '';
  context.stdout.write(`reg gateway listening on ${gateway.url} (config ${file}${shared})\n`);
  const code = await untilStopped(gateway, context);
  await store?.close();
  return code;
}

/** The Redis store several gateways share; its outages and recoveries go to the log. */
async function sharedStore(url: string, context: CliContext): Promise<RedisStateStore> {
  const { RedisStateStore } = await import('@reg/state-redis');
  const store = new RedisStateStore({ url });
  const log = (level: string, msg: string) => context.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg })}\n`);
  store.on('unavailable', (event) => log('warn', event.message));
  store.on('recovered', (event) => log('info', `Redis at ${event.server} answers again after ${event.unavailableMs} ms; shared state is back`));
  return store;
}

/**
 * Resolves with the exit code once SIGTERM or SIGINT has closed the gateway. The gateway itself
 * handles these signals (stop accepting, let in-flight requests finish up to its grace, log) and
 * SIGHUP (reload; a bad config is logged and the old one kept), so `reg serve` only waits for
 * the close and turns a second signal into an immediate exit.
 */
function untilStopped(gateway: RunningGateway, context: CliContext): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        context.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: `${signal} again: exiting without waiting for in-flight requests` })}\n`);
        resolve(EXIT.failed);
        return;
      }
      stopping = true;
      gateway.close().then(
        () => resolve(EXIT.ok),
        (error: unknown) => {
          context.stderr.write(`reg serve: ${describeError(error)}\n`);
          resolve(EXIT.failed);
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
