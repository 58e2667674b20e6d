import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

export interface FlagSpec {
  name: string;
  type: 'string' | 'boolean';
  short?: string;
  /** May be given more than once (`--key A --key B`). */
  multiple?: boolean;
  /** Placeholder of the value in help: `--port <number>`. */
  value?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** `reg chat [options] <prompt>` */
  usage: string;
  flags: FlagSpec[];
  /** How many positionals the command takes. */
  positionals: { min: number; max: number };
  /** Lines printed after the flags (examples, exit codes). */
  notes?: string[];
}

export interface ParsedCommand {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', type: 'boolean', description: 'Show this help.' };

/** Parses a command's arguments strictly; every mistake becomes a UsageError naming the flag. */
export function parseCommand(spec: CommandSpec, args: string[]): ParsedCommand {
  const options: ParseArgsOptionsConfig = {};
  for (const flag of [...spec.flags, HELP_FLAG]) {
    options[flag.name] = { type: flag.type, multiple: flag.multiple ?? false, ...(flag.short ? { short: flag.short } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true, allowNegative: false });
  } catch (error) {
    throw new UsageError(describeParseError(error, spec), spec.name);
  }
  const values = parsed.values as ParsedCommand['values'];
  if (values.help) return { values, positionals: parsed.positionals };
  const count = parsed.positionals.length;
  if (count > spec.positionals.max) {
    const extra = parsed.positionals.slice(spec.positionals.max).map((value) => `'${value}'`).join(', ');
    throw new UsageError(`${label(spec)}: unexpected argument ${extra}`, spec.name);
  }
  if (count < spec.positionals.min) throw new UsageError(`${label(spec)}: missing argument (usage: ${spec.usage})`, spec.name);
  return { values, positionals: parsed.positionals };
}

function describeParseError(error: unknown, spec: CommandSpec): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    return `${label(spec)}: unknown option '${option}'`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const flag = spec.flags.find((candidate) => `--${candidate.name}` === option || `-${candidate.short}` === option);
    return flag?.type === 'boolean'
      ? `${label(spec)}: option '${option}' takes no value`
      : `${label(spec)}: option '${option}' needs a value${flag?.value ? ` (${flag.value})` : ''}`;
  }
  return `${label(spec)}: ${message}`;
}

/** `reg <command> --help`: usage, summary, every flag. */
export function formatCommandHelp(spec: CommandSpec): string {
  const flags = [...spec.flags, HELP_FLAG].map((flag) => {
    const names = `${flag.short ? `-${flag.short}, ` : '    '}--${flag.name}${flag.value ? ` <${flag.value}>` : ''}`;
    return [names, flag.description + (flag.multiple ? ' May be repeated.' : '')] as const;
  });
  const width = Math.max(...flags.map(([names]) => names.length));
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, '', 'Options:'];
  for (const [names, description] of flags) lines.push(`  ${names.padEnd(width)}  ${description}`);
  if (spec.notes?.length) lines.push('', ...spec.notes);
  return `${lines.join('\n')}\n`;
}

/** Reads `--name <number>` as an integer within bounds, or throws a UsageError naming the flag. */
export function integerFlag(
  spec: CommandSpec,
  values: ParsedCommand['values'],
  name: string,
  bounds: { min: number; max: number },
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw);
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < bounds.min || value > bounds.max) {
    throw new UsageError(`${label(spec)}: --${name} must be a whole number from ${bounds.min} to ${bounds.max}, got '${text}'`, spec.name);
  }
  return value;
}

export function stringFlag(values: ParsedCommand['values'], name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** `reg chat`, or `reg` for the top level. */
function label(spec: CommandSpec): string {
  return spec.name ? `reg ${spec.name}` : 'reg';
}
