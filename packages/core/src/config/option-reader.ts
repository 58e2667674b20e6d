import { ConfigError, type ConfigIssue } from '../errors/errors.js';

/** One option's name, or its spellings in order of preference (`['generationConfig', 'generation_config']`). */
export type OptionKey = string | readonly string[];

export interface StringRules {
  required?: boolean;
  /** An http(s) URL. */
  url?: boolean;
  /** A credential: a wrong value is never echoed in the message. */
  secret?: boolean;
  /** The value must match; `example` says what it should look like. */
  pattern?: RegExp;
  example?: string;
}

export interface NumberRules {
  required?: boolean;
  integer?: boolean;
  min?: number;
  /** `min` itself is refused (`cooldown_ms` must be greater than 0). */
  exclusiveMin?: boolean;
  max?: number;
}

/**
 * Reads one set of raw options (a client's `options`, or a part of them), collecting every problem
 * with its config path (`clients[2].options.temperature: must be at most 2, not 5`), so a user
 * fixes a file in one go. Each option read is remembered: `rest()` is what nobody read (options
 * that pass through into the request body, as BAML does), `rejectUnknown()` refuses it instead.
 *
 * The same reader validates core's own options (`http`, `circuit_breaker`, retry policies,
 * strategies) and every provider's, so messages read the same everywhere.
 */
export class OptionReader {
  readonly issues: ConfigIssue[];
  readonly #raw: Record<string, unknown>;
  readonly #path: string;
  readonly #client: string | undefined;
  readonly #read = new Set<string>();

  /**
   * `where` is the provider's context (the client and where its options sit: `clients[2].options`),
   * or just that path; `issues` may be shared with a caller that collects more.
   */
  constructor(raw: Record<string, unknown>, where: string | { path: string; client?: string }, issues: ConfigIssue[] = []) {
    this.#raw = raw;
    this.#path = typeof where === 'string' ? where : where.path;
    this.#client = typeof where === 'string' ? undefined : where.client;
    this.issues = issues;
  }

  /** The path of an option (`clients[2].options.base_url`), or of the options themselves for ''. */
  pathOf(key: string): string {
    return key === '' ? this.#path : `${this.#path}.${key}`;
  }

  /** Whether the option is present (not undefined or null); marks it read. */
  has(key: OptionKey): boolean {
    return this.#take(key) !== undefined;
  }

  string(key: OptionKey, rules: StringRules = {}): string | undefined {
    const found = this.#take(key, rules.required);
    if (!found) return undefined;
    const { name, value } = found;
    if (typeof value !== 'string' || value.trim() === '') {
      return this.#issue(name, rules.secret ? 'must be a non-empty string' : `must be a non-empty string, not ${describe(value)}`);
    }
    if (rules.url && !isHttpUrl(value)) return this.#issue(name, `must be an http(s) URL, not ${rules.secret ? 'that' : JSON.stringify(value)}`);
    if (rules.pattern && !rules.pattern.test(value)) {
      return this.#issue(name, `must look like ${rules.example ?? String(rules.pattern)}, not ${rules.secret ? 'that' : JSON.stringify(value)}`);
    }
    return value;
  }

  number(key: OptionKey, rules: NumberRules = {}): number | undefined {
    const found = this.#take(key, rules.required);
    if (!found) return undefined;
    const { name, value } = found;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.#issue(name, `must be a number, not ${describe(value)}`);
    if (rules.integer && !Number.isInteger(value)) return this.#issue(name, `must be a whole number, not ${value}`);
    const { min, max } = rules;
    if (min !== undefined && (rules.exclusiveMin ? value <= min : value < min)) {
      return this.#issue(name, `must be ${rules.exclusiveMin ? 'greater than' : 'at least'} ${min}, not ${value}`);
    }
    if (max !== undefined && value > max) return this.#issue(name, `must be at most ${max}, not ${value}`);
    return value;
  }

  boolean(key: OptionKey): boolean | undefined {
    const found = this.#take(key);
    if (!found) return undefined;
    if (typeof found.value !== 'boolean') return this.#issue(found.name, `must be true or false, not ${describe(found.value)}`);
    return found.value;
  }

  oneOf<T extends string>(key: OptionKey, values: readonly T[]): T | undefined {
    const found = this.#take(key);
    if (!found) return undefined;
    if (typeof found.value !== 'string' || !values.includes(found.value as T)) {
      return this.#issue(found.name, `must be one of ${values.map((item) => `'${item}'`).join(', ')}, not ${describe(found.value)}`);
    }
    return found.value as T;
  }

  /** A list of strings; with `orOne`, a single string is a list of one (`stop: "END"`). */
  strings(key: OptionKey, rules: { orOne?: boolean; nonEmpty?: boolean } = {}): string[] | undefined {
    const found = this.#take(key);
    if (!found) return undefined;
    const { name, value } = found;
    if (rules.orOne && typeof value === 'string') return [value];
    const valid = Array.isArray(value) && value.every((item) => typeof item === 'string' && (!rules.nonEmpty || item !== ''));
    if (valid) return value as string[];
    const kind = rules.nonEmpty ? 'non-empty strings' : 'strings';
    return this.#issue(name, `must be ${rules.orOne ? `a string or a list of ${kind}` : `a list of ${kind}`}, not ${describe(value)}`);
  }

  /** A map of names to string values (`headers`, `query_params`); numbers and booleans are written as text. */
  stringMap(key: OptionKey, what = 'names'): Record<string, string> | undefined {
    const found = this.#take(key);
    if (!found) return undefined;
    const { name, value } = found;
    if (!isRecord(value)) return this.#issue(name, `must be a map of ${what} to values, not ${describe(value)}`);
    const map: Record<string, string> = {};
    let valid = true;
    for (const [entry, item] of Object.entries(value)) {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') map[entry] = String(item);
      else {
        valid = false;
        this.#issue(`${name}.${entry}`, `must be a string, not ${describe(item)}`);
      }
    }
    return valid ? map : undefined;
  }

  /** An object, unchecked inside (`example` shows the expected shape in the message). */
  record(key: OptionKey, example?: string): Record<string, unknown> | undefined {
    const found = this.#take(key);
    if (!found) return undefined;
    if (!isRecord(found.value)) return this.#issue(found.name, `must be an object${example ? ` such as ${example}` : ''}, not ${describe(found.value)}`);
    return found.value;
  }

  /** A list, unchecked inside. */
  list(key: OptionKey): unknown[] | undefined {
    const found = this.#take(key);
    if (!found) return undefined;
    if (!Array.isArray(found.value)) return this.#issue(found.name, `must be a list, not ${describe(found.value)}`);
    return found.value;
  }

  /** A function option (only possible in code, not in a config file). */
  callable<T extends (...args: never[]) => unknown>(key: OptionKey, expected: string): T | undefined {
    const found = this.#take(key);
    if (!found) return undefined;
    if (typeof found.value !== 'function') return this.#issue(found.name, `must be ${expected}, not ${describe(found.value)}`);
    return found.value as T;
  }

  /** Any value, unchecked (the caller or the vendor checks it), with the spelling it was found under. */
  raw(key: OptionKey): { name: string; value: unknown } | undefined {
    return this.#take(key);
  }

  /** Records a problem with an option the caller checks itself ('' for the options as a whole). */
  fail(key: string, message: string): void {
    this.issues.push({ path: this.pathOf(key), message });
  }

  /** The options nobody read: they go into the request body untouched. */
  rest(): Record<string, unknown> {
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.#raw)) {
      if (!this.#read.has(key) && value !== undefined) rest[key] = value;
    }
    return rest;
  }

  /** Refuses every option nobody read, naming the known ones (`message` says what they are). */
  rejectUnknown(known: readonly string[] = [...this.#read], message = 'is not a known option'): void {
    for (const [key, value] of Object.entries(this.#raw)) {
      if (value !== undefined && !this.#read.has(key) && !known.includes(key)) this.fail(key, `${message} (known: ${known.join(', ')})`);
    }
  }

  /** Throws one ConfigError listing every problem found (naming the client, when the reader knows it). */
  done(): void {
    if (this.issues.length > 0) throw new ConfigError(this.issues, this.#client === undefined ? {} : { client: this.#client });
  }

  #take(key: OptionKey, required = false): { name: string; value: unknown } | undefined {
    const names = typeof key === 'string' ? [key] : key;
    for (const name of names) this.#read.add(name);
    const name = names.find((candidate) => this.#raw[candidate] !== undefined && this.#raw[candidate] !== null);
    if (name === undefined) {
      if (required) this.fail(names[0] ?? '', 'is required');
      return undefined;
    }
    return { name, value: this.#raw[name] };
  }

  #issue(key: string, message: string): undefined {
    this.fail(key, message);
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a message shows it: JSON, shortened; functions and lists named. */
export function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
