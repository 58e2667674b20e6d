/**
 * Where the registry keeps state shared between calls: round-robin cursors and retry budgets.
 * The in-memory store serves one process; a shared store (Redis) serves several. Each method is
 * atomic for its key. Methods may answer synchronously; callers always await them.
 */
export interface StateStore {
  /** Returns the counter's current value (0 at first) and adds one. */
  increment(key: string): Promise<number> | number;
  /** Token bucket starting full at `capacity`: takes `amount` if that many are left. */
  take(key: string, amount: number, capacity: number): Promise<boolean> | boolean;
  /** Puts `amount` back into the bucket, up to `capacity`. */
  give(key: string, amount: number, capacity: number): Promise<void> | void;
}

export class MemoryStateStore implements StateStore {
  readonly #counters = new Map<string, number>();
  readonly #buckets = new Map<string, number>();

  increment(key: string): number {
    const value = this.#counters.get(key) ?? 0;
    this.#counters.set(key, value + 1);
    return value;
  }

  take(key: string, amount: number, capacity: number): boolean {
    const tokens = this.#buckets.get(key) ?? capacity;
    if (tokens < amount) return false;
    this.#buckets.set(key, tokens - amount);
    return true;
  }

  give(key: string, amount: number, capacity: number): void {
    const tokens = this.#buckets.get(key);
    if (tokens === undefined) return; // a full bucket is not stored
    this.#buckets.set(key, Math.min(capacity, tokens + amount));
  }
}

let processStore: MemoryStateStore | undefined;

/**
 * The store registries use unless given one: one per process, made on first use, so that
 * registries built per request still share round-robin cursors and retry budgets by client name.
 */
export function defaultStateStore(): MemoryStateStore {
  processStore ??= new MemoryStateStore();
  return processStore;
}
