import { formatCommandHelp, parseCommand, type CommandSpec } from './command-spec.js';
import type { CliContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';
import { describeError } from '../output/describe.js';

interface Command {
  spec: CommandSpec;
  /** Loaded on use, so that `reg chat` does not load the gateway, nor `reg serve` the emulator. */
  run: () => Promise<(args: string[], context: CliContext) => Promise<number>>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => {
    const { serveSpec } = await import('../commands/serve-spec.js');
    return { spec: serveSpec, run: async () => (await import('../commands/serve.js')).serve };
  },
  chat: async () => {
    const { chatSpec } = await import('../commands/chat-spec.js');
    return { spec: chatSpec, run: async () => (await import('../commands/chat.js')).chat };
  },
  check: async () => {
    const { checkSpec } = await import('../commands/check-spec.js');
    return { spec: checkSpec, run: async () => (await import('../commands/check.js')).check };
  },
  demo: async () => {
    const { demoSpec } = await import('../commands/demo-spec.js');
    return { spec: demoSpec, run: async () => (await import('../commands/demo.js')).demo };
  },
};

const TOP_LEVEL: CommandSpec = {
  name: '',
  summary: 'reg: one registry of named LLM clients; switch, chain and balance vendors by configuration.',
  usage: 'reg <command> [options]',
  positionals: { min: 0, max: 1 },
  flags: [{ name: 'version', short: 'v', type: 'boolean', description: 'Print the version of reg.' }],
};

/** Runs `reg <args>` and resolves with the exit code. */
export async function main(args: string[], context: CliContext): Promise<number> {
  const [name, ...rest] = args;
  try {
    if (name === undefined || name.startsWith('-')) return await topLevel(args, context);
    const load = COMMANDS[name];
    if (!load) throw new UsageError(`reg: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    const command = await load();
    // Unknown flags are reported before the command loads its modules (and with --help too).
    const { values } = parseCommand(command.spec, rest);
    if (values.help) {
      context.stdout.write(formatCommandHelp(command.spec));
      return EXIT.ok;
    }
    return await (await command.run())(rest, context);
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.command ? `reg ${error.command} --help` : 'reg --help';
      context.stderr.write(`${error.message}\nRun '${help}' for usage.\n`);
      return EXIT.usage;
    }
    context.stderr.write(`${describeError(error)}\n`);
    return EXIT.failed;
  }
}

async function topLevel(args: string[], context: CliContext): Promise<number> {
  const { values } = parseCommand({ ...TOP_LEVEL, name: '' }, args);
  if (values.version) {
    const { createRequire } = await import('node:module');
    const manifest = createRequire(import.meta.url)('../../package.json') as { version: string };
    context.stdout.write(`${manifest.version}\n`);
    return EXIT.ok;
  }
  if (!values.help) {
    context.stderr.write(await topLevelHelp());
    return EXIT.usage;
  }
  context.stdout.write(await topLevelHelp());
  return EXIT.ok;
}

/** `reg --help`: every command with every flag, so one screen shows the whole tool. */
async function topLevelHelp(): Promise<string> {
  const sections = [`${TOP_LEVEL.summary}\n\nUsage: ${TOP_LEVEL.usage}\n\nCommands:\n`];
  for (const load of Object.values(COMMANDS)) {
    const { spec } = await load();
    const flags = spec.flags.map((flag) => `      --${flag.name}${flag.value ? ` <${flag.value}>` : ''}${flag.multiple ? ' ...' : ''}`);
    sections.push(`  ${spec.usage}\n      ${spec.summary}\n${flags.join('\n')}\n`);
  }
  sections.push(`Run 'reg <command> --help' for what each option does.\n`);
  sections.push(`Global options:\n  -h, --help     Show help (also 'reg <command> --help').\n  -v, --version  Print the version of reg.\n`);
  return `${sections.join('\n')}`;
}
