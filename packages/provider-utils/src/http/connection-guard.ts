import type { ConnectionGuard } from '@reg/core';

/** What an undici-style connector receives: the target of one new connection. */
export interface ConnectTarget {
  hostname: string;
}

/**
 * Wraps a connector (undici's `buildConnector(...)` result, or any function of that shape) so that
 * each new connection goes to the address `guard` resolved and allowed for its host name. undici
 * opens every connection through its connector, a redirect's included, so nothing reaches a host
 * the guard refused, and the address checked is the address used. TLS still verifies the
 * certificate against the host name (undici takes the server name from the origin, not from here).
 */
export function guardConnector<Target extends ConnectTarget, Callback extends (error: Error, socket: null) => void>(
  connect: (target: Target, callback: Callback) => unknown,
  guard: ConnectionGuard,
): (target: Target, callback: Callback) => void {
  return (target, callback) => {
    const hostname = target.hostname.replace(/^\[|\]$/g, '');
    guard.resolve(hostname).then(
      ({ address }) => {
        connect({ ...target, hostname: address }, callback);
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)), null);
      },
    );
  };
}
