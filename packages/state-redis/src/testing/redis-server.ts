import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A real `redis-server` on 127.0.0.1, owned by one test file. */
export interface RedisServer {
  readonly port: number;
  /** `redis://[:password@]127.0.0.1:PORT`. */
  readonly url: string;
  /** Stops the server: `abrupt` kills it (SIGKILL) as a crash would. Its data is gone. */
  stop(options?: { abrupt?: boolean }): Promise<void>;
  /** Starts it again on the same port (and password), empty. */
  restart(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
  pause(): void;
  resume(): void;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

const INSTALL_HINT =
  'The @reg/state-redis tests need a real redis-server on PATH. Install it: Debian/Ubuntu `apt-get install -y redis-server`, ' +
  'Fedora `dnf install redis`, macOS `brew install redis`.';

let installed: string | undefined;

/** The redis-server binary; on a machine without one, installs Debian's package (as root) or says what to install. */
export function ensureRedisServer(): string {
  installed ??= findOnPath('redis-server') ?? install();
  return installed;
}

function install(): string {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || findOnPath('apt-get') === undefined) {
    throw new Error(`redis-server is not on PATH and cannot be installed from here (needs root and apt-get). ${INSTALL_HINT}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Several test files may start at once; the lock timeout lets their installs take turns.
  const installArgs = ['-o', 'DPkg::Lock::Timeout=120', 'install', '-y', '--no-install-recommends', 'redis-server'];
  const failures: string[] = [];
  for (const prepare of [[], ['-o', 'DPkg::Lock::Timeout=120', 'update']]) {
    try {
      if (prepare.length > 0) execFileSync('apt-get', prepare, { env, stdio: 'pipe', timeout: 180_000 });
      execFileSync('apt-get', installArgs, { env, stdio: 'pipe', timeout: 180_000 });
    } catch (error) {
      failures.push(error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error));
    }
    const found = findOnPath('redis-server');
    if (found) return found;
  }
  throw new Error(`redis-server is not on PATH and \`apt-get install -y redis-server\` failed (${failures.join('; ')}). ${INSTALL_HINT}`);
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Starts redis-server on a free port (`--save '' --appendonly no`, a temp dir) and waits until it answers PING. */
export async function startRedisServer(options: { password?: string } = {}): Promise<RedisServer> {
  const binary = ensureRedisServer();
  const dir = await mkdtemp(join(tmpdir(), 'reg-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  const launch = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    if (options.password) args.push('--requirepass', options.password);
    const started = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    started.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    child = started;
    await waitForPong(port, started, () => output);
  };
  // A free port found now may be taken before redis-server binds it; then try another.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  const stop = async ({ abrupt = false } = {}) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGCONT');
    running.kill(abrupt ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      // The old socket may linger for a moment after the process exits.
      for (let attempt = 1; ; attempt++) {
        try {
          await launch();
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls with a raw PING until the server answers (+PONG, or NOAUTH when it wants a password). */
async function waitForPong(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server on port ${port} exited before answering PING:\n${output()}`);
    }
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on port ${port} did not answer PING within 15 s:\n${output()}`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
  });
}
