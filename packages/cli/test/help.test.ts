import { describe, expect, it } from 'vitest';
import { runReg } from './run-reg.js';

const COMMAND_FLAGS: Record<string, string[]> = {
  serve: ['--config', '--port', '--host', '--key', '--insecure-local', '--state-redis', '--help'],
  chat: ['--config', '--client', '--timeout-ms', '--help'],
  check: ['--config', '--ping', '--timeout-ms', '--json', '--help'],
  demo: ['--port', '--help'],
};

describe('reg --help', () => {
  it('lists every command with every flag', async () => {
    const run = await runReg(['--help']);
    expect(run.code).toBe(0);
    for (const [command, flags] of Object.entries(COMMAND_FLAGS)) {
      expect(run.stdout).toContain(`reg ${command} [options]`);
      for (const flag of flags.filter((flag) => flag !== '--help')) expect(run.stdout).toContain(flag);
    }
  });

  it.each(Object.entries(COMMAND_FLAGS))('reg %s --help describes each of its flags', async (command, flags) => {
    const run = await runReg([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: reg ${command}`));
    const optionLines = run.stdout.split('\n').filter((line) => /^\s+(-\w, )?--/.test(line));
    expect(optionLines.map((line) => /--[\w-]+/.exec(line)![0])).toEqual(flags);
    for (const line of optionLines) expect(line.trim().split(/\s{2,}/)[1]).toMatch(/\w/);
  });

  it('without a command, prints the help to stderr and exits 2', async () => {
    const run = await runReg([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: reg <command>');
  });
});

describe('bad command lines exit 2 with a clear message', () => {
  it.each([
    [['check', '--nope'], "reg check: unknown option '--nope'", 'reg check --help'],
    [['chat', '--client'], "reg chat: option '--client' needs a value", 'reg chat --help'],
    [['check', '--json=yes'], "reg check: option '--json' takes no value", 'reg check --help'],
    [['serve', '--port', 'abc'], "reg serve: --port must be a whole number from 0 to 65535, got 'abc'", 'reg serve --help'],
    [['demo', '--port', '70000'], 'reg demo: --port must be a whole number from 0 to 65535', 'reg demo --help'],
    [['chat', '--timeout-ms', '-5', 'hi'], "reg chat: option '--timeout-ms' needs a value", 'reg chat --help'],
    [['chat'], 'reg chat: missing argument', 'reg chat --help'],
    [['check', 'extra'], "reg check: unexpected argument 'extra'", 'reg check --help'],
    [['serve', '--insecure-local', '--host', '0.0.0.0'], 'reg serve: --insecure-local binds 127.0.0.1 only', 'reg serve --help'],
    [['frobnicate'], "reg: unknown command 'frobnicate'", 'reg --help'],
    [['--nope'], "reg: unknown option '--nope'", 'reg --help'],
  ])('reg %j', async (args, message, help) => {
    const run = await runReg(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(`Run '${help}' for usage.`);
    expect(run.stdout).toBe('');
  });

  it('reports an unknown flag even next to --help', async () => {
    const run = await runReg(['chat', '--help', '--verbose']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--verbose'");
  });
});
