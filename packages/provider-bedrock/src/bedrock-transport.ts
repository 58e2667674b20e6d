import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ConnectDeadlineExceeded } from '@reg/provider-utils';
import { NodeHttp2Handler } from '@smithy/node-http-handler';

/**
 * The SDK's own HTTP/2 handler, configured for reuse: the SDK's default turns concurrent streams
 * off, which opens a new connection per request; we keep one session per endpoint instead. The
 * handler has no connect timeout of its own, so when one is set we open the socket ourselves
 * (`createConnection` goes to `http2.connect`) and destroy it if the handshake runs late, with the
 * toolkit's ConnectDeadlineExceeded, which its transport-failure classification knows.
 */
export function createBedrockHandler(options: { connectTimeoutMs: number | undefined }): NodeHttp2Handler {
  const { connectTimeoutMs } = options;
  return new NodeHttp2Handler({
    disableConcurrentStreams: false,
    // An idle session closes after this, so a finished script is not held open by a kept-alive socket for long.
    sessionTimeout: SESSION_IDLE_MS,
    nodeHttp2ConnectOptions: connectTimeoutMs === undefined ? {} : { createConnection: (authority: URL) => openSocket(authority, connectTimeoutMs) },
  });
}

const SESSION_IDLE_MS = 60_000;

function openSocket(authority: URL, timeoutMs: number): Socket {
  const host = authority.hostname.replace(/^\[|\]$/g, '');
  const secure = authority.protocol === 'https:';
  const port = Number(authority.port) || (secure ? 443 : 80);
  const socket: Socket = secure
    ? tlsConnect({ host, port, ALPNProtocols: ['h2'], ...(isIP(host) ? {} : { servername: host }) })
    : netConnect({ host, port });
  const timer = setTimeout(() => socket.destroy(new ConnectDeadlineExceeded({ timeoutMs, authority: authority.host })), timeoutMs);
  socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(timer));
  socket.once('close', () => clearTimeout(timer));
  return socket;
}
