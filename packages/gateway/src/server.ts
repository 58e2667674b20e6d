import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientRegistry, ConfigError } from '@reg/core';
import { KeyCheck, keysFromEnv } from './auth.js';
import { toHttpError } from './errors.js';
import { sendError } from './http-io.js';
import { InFlight } from './in-flight.js';
import { GatewayMetrics } from './metrics.js';
import { onSignals, watchConfigFile } from './reload.js';
import { createRouter } from './router.js';
import { DEFAULT_LIMITS, type GatewayOptions, type RunningGateway } from './types.js';
import { UpstreamAllowList } from './upstream-allow-list.js';

const DEFAULT_PORT = 8787;
const DEFAULT_GRACE_MS = 10_000;
/** Label for server client references that are not configured names (e.g. arbitrary provider/model). */
const OTHER_LABEL = 'other';

/** Starts the OpenAI-compatible gateway. Refuses to start without gateway keys unless `insecureLocal`. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const log = options.log ?? defaultLog;
  const insecureLocal = options.insecureLocal === true;
  const keys = new KeyCheck(options.keys ?? keysFromEnv(env));
  if (!insecureLocal && keys.size === 0) {
    throw new Error('The gateway needs at least one key: pass keys, set REG_GATEWAY_KEYS, or start it with insecureLocal (binds 127.0.0.1 only).');
  }
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const providers = options.providers ?? [];
  const metrics = new GatewayMetrics();
  const load = async (): Promise<ClientRegistry> => {
    const registry = await ClientRegistry.fromConfig(options.config, { env, providers, ...(options.store ? { store: options.store } : {}) });
    const names = new Set(registry.clientNames());
    metrics.observe(registry, (client) => (names.has(client) ? client : OTHER_LABEL));
    return registry;
  };
  let current = await load();
  let known = new Set(current.clientNames());
  const allowList = new UpstreamAllowList(options.allowUpstreams ?? [], options.lookup ? { lookup: options.lookup } : {});
  const inFlight = new InFlight();
  let closing: Promise<void> | undefined;

  const route = createRouter({
    registry: () => current,
    keys,
    insecureLocal,
    metrics,
    closing: () => closing !== undefined,
    startedAt: Math.floor(Date.now() / 1000),
    chat: {
      registry: () => current,
      label: (client: string) => (known.has(client) ? client : OTHER_LABEL),
      metrics,
      limits,
      requestRegistries: { providers, allowList, limits },
      log,
      track: (controller) => inFlight.track(controller),
    },
  });

  const server = createServer({ keepAliveTimeout: 5_000 }, (request, response) => {
    void route(request, response).catch((error: unknown) => {
      log({ level: 'error', msg: 'unhandled gateway error', error: error instanceof Error ? error.message : String(error) });
      sendError(response, toHttpError(error));
    });
  });

  async function reload(): Promise<void> {
    try {
      const next = await load();
      current = next;
      known = new Set(next.clientNames());
      log({ level: 'info', msg: 'config reloaded', clients: next.clientNames() });
    } catch (error) {
      const issues = ConfigError.isInstance(error) ? error.issues : [{ path: '', message: error instanceof Error ? error.message : String(error) }];
      log({ level: 'error', msg: 'config reload refused; the previous config stays in use', issues });
      throw error;
    }
  }

  const host = insecureLocal ? '127.0.0.1' : (options.host ?? '0.0.0.0');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const reloadQuietly = () => void reload().catch(() => undefined);
  const stopWatching = typeof options.config === 'string' ? watchConfigFile(options.config, reloadQuietly) : () => undefined;
  const stopHangup = typeof options.config === 'string' ? onSignals(['SIGHUP'], reloadQuietly) : () => undefined;
  const stopTerm = onSignals(['SIGTERM', 'SIGINT'], (signal) => {
    log({ level: 'info', msg: `${signal}: shutting down`, inFlight: inFlight.size });
    void close().then(() => {
      // With our handler gone, the signal's default action ends the process (unless the host app handles it).
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  });

  function close(): Promise<void> {
    closing ??= (async () => {
      stopWatching();
      stopHangup();
      stopTerm();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await inFlight.drain(options.shutdownGraceMs ?? DEFAULT_GRACE_MS);
      server.closeAllConnections();
      await closed;
      log({ level: 'info', msg: 'gateway closed' });
    })();
    return closing;
  }

  log({ level: 'info', msg: 'gateway listening', url, auth: insecureLocal ? 'none (insecure-local)' : 'gateway key', clients: current.clientNames() });
  return { url, port, registry: () => current, reload, close };
}

function defaultLog(entry: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
}
