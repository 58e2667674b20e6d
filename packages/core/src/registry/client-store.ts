import { NoSuchClientError } from '../errors/errors.js';
import type { RunnableClient } from '../spec.js';
import type { ClientEntry } from './build-client.js';

/** Whether a reference has the `provider/model` shape. */
export function isShorthand(reference: string): boolean {
  const slash = typeof reference === 'string' ? reference.indexOf('/') : -1;
  return slash > 0 && slash < reference.length - 1;
}

/**
 * The clients of one registry, by name, and the `provider/model` references used so far. Each is
 * built on first use and kept: synchronous from then on. A failed build is tried again next time.
 */
export class ClientStore {
  readonly #entries = new Map<string, ClientEntry>();
  readonly #shorthands = new Map<string, ClientEntry>();
  readonly #build: (entry: ClientEntry) => RunnableClient | Promise<RunnableClient>;

  constructor(build: (entry: ClientEntry) => RunnableClient | Promise<RunnableClient>) {
    this.#build = build;
  }

  /** Adds a client, or replaces the client of that name (its runnable is built again). */
  add(entry: Omit<ClientEntry, 'runnable'>): void {
    this.#entries.set(entry.name, { ...entry });
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  entry(name: string): ClientEntry | undefined {
    return this.#entries.get(name);
  }

  names(): string[] {
    return [...this.#entries.keys()];
  }

  entries(): IterableIterator<ClientEntry> {
    return this.#entries.values();
  }

  /** The client a reference (a name or `provider/model`) stands for, built on first use. */
  runnable(reference: string): RunnableClient | Promise<RunnableClient> {
    const entry = this.#entries.get(reference) ?? this.#shorthand(reference);
    if (entry.runnable) return entry.runnable;
    const built = this.#build(entry);
    entry.runnable = built;
    if (built instanceof Promise) {
      built.then(
        (client) => {
          if (entry.runnable === built) entry.runnable = client;
        },
        () => {
          if (entry.runnable === built) entry.runnable = undefined;
        },
      );
    }
    return built;
  }

  #shorthand(reference: string): ClientEntry {
    let entry = this.#shorthands.get(reference);
    if (entry) return entry;
    if (!isShorthand(reference)) throw new NoSuchClientError({ client: reference, knownClients: this.names() });
    const slash = reference.indexOf('/');
    entry = {
      name: reference,
      provider: reference.slice(0, slash),
      options: {},
      retryPolicy: undefined,
      path: `client '${reference}'`,
      shorthandModel: reference.slice(slash + 1),
    };
    this.#shorthands.set(reference, entry);
    return entry;
  }
}
