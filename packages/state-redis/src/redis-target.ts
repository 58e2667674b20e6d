import { redactSecrets } from '@reg/core';
import type { Redis } from 'ioredis';

/** Where the store's Redis is, as it may be shown (no credentials), and the secrets to scrub. */
export interface RedisTarget {
  /** `redis://host:port/db`, without user or password. */
  server: string;
  secrets: string[];
}

const REDIS_PROTOCOLS = new Set(['redis:', 'rediss:']);

/**
 * Reads a `redis://` or `rediss://` URL. Returns the problem instead of throwing, and never
 * repeats the URL in it: it may hold a password.
 */
export function parseRedisUrl(url: string): RedisTarget | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'must be a URL like redis://[:password@]host[:port][/db] (it does not parse; not repeated here as it may hold a password)' };
  }
  if (!REDIS_PROTOCOLS.has(parsed.protocol)) {
    return { problem: `must use redis:// or rediss:// (got ${parsed.protocol}//)` };
  }
  const secrets = [parsed.password, safeDecode(parsed.password)].filter((secret) => secret !== '');
  const path = parsed.pathname === '/' ? '' : parsed.pathname;
  return { server: `${parsed.protocol}//${parsed.host}${path}`, secrets: [...new Set(secrets)] };
}

/** The target of a client the caller made: its options know where it connects. */
export function clientTarget(client: Redis): RedisTarget {
  const options = client.options;
  const protocol = options.tls ? 'rediss:' : 'redis:';
  const where = options.path ? options.path : `${options.host ?? '127.0.0.1'}:${options.port ?? 6379}`;
  const secrets = typeof options.password === 'string' && options.password !== '' ? [options.password] : [];
  return { server: `${protocol}//${where}${options.db ? `/${options.db}` : ''}`, secrets };
}

/** A failure's message, safe to show: the target's secrets and anything shaped like a key removed. */
export function describeFailure(error: unknown, target: RedisTarget): string {
  let message = error instanceof Error ? error.message : String(error);
  // ioredis's words for "no connection right now", which point at an option the store sets on purpose.
  if (message.startsWith("Stream isn't writeable")) message = 'not connected (the connection to Redis was lost)';
  let safe = message;
  // Any length: a Redis password is whatever its owner chose, and this text goes to listeners.
  for (const secret of target.secrets) safe = safe.split(secret).join('[redacted]');
  return redactSecrets(safe);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
