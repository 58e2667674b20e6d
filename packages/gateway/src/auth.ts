import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Checks `Authorization: Bearer <key>` against the accepted keys in constant time. Keys are
 * compared as SHA-256 digests, so neither their content nor their length leaks through timing.
 */
export class KeyCheck {
  readonly #digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.#digests = keys.filter((key) => key !== '').map(digest);
  }

  get size(): number {
    return this.#digests.length;
  }

  accepts(request: IncomingMessage): boolean {
    const header = request.headers.authorization;
    if (typeof header !== 'string') return false;
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match) return false;
    const offered = digest(match[1]!);
    let accepted = false;
    // Every key is compared, so the time taken does not tell which one (if any) matched.
    for (const known of this.#digests) accepted = timingSafeEqual(offered, known) || accepted;
    return accepted;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** REG_GATEWAY_KEYS: comma-separated, blanks ignored. */
export function keysFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env.REG_GATEWAY_KEYS ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '');
}
