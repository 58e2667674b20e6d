import type { EventHub } from '../events/events.js';
import type { RegError } from '../errors/reg-error.js';
import type { StateStore } from '../state/state-store.js';
import { LinkedAbort, errorFromAbortReason, neverAbortedSignal } from './abort.js';
import type { Attempt } from './types.js';

/**
 * What one call carries down through strategies to the leaf clients: the signal that ends it
 * (caller abort, `timeoutMs`, a strategy's `total_timeout_ms`), its deadline, the attempts made so
 * far, and the registry's events and state. Strategies may open child scopes with a tighter bound.
 */
export class CallScope {
  readonly id: number;
  readonly attempts: Attempt[];
  readonly events: EventHub;
  readonly store: StateStore;
  /** `performance.now()` by which the call must be over, or Infinity. */
  readonly deadline: number;
  readonly #abort: LinkedAbort | undefined;

  constructor(options: {
    id: number;
    events: EventHub;
    store: StateStore;
    signal?: AbortSignal | undefined;
    timeout?: { ms: number; name: string } | undefined;
    attempts?: Attempt[];
    parentDeadline?: number;
  }) {
    this.id = options.id;
    this.events = options.events;
    this.store = options.store;
    this.attempts = options.attempts ?? [];
    const { signal, timeout } = options;
    const ownDeadline = timeout ? performance.now() + timeout.ms : Infinity;
    this.deadline = Math.min(ownDeadline, options.parentDeadline ?? Infinity);
    if (signal || timeout) {
      this.#abort = new LinkedAbort(signal ?? neverAbortedSignal(), timeout && {
        ms: timeout.ms,
        name: timeout.name,
        message: `The call ran past ${timeout.name} (${timeout.ms} ms).`,
      });
    }
  }

  get signal(): AbortSignal {
    return this.#abort?.signal ?? neverAbortedSignal();
  }

  /** A scope bounded by `total_timeout_ms` as well; it shares this call's attempts. */
  child(timeout: { ms: number; name: string }): CallScope {
    return new CallScope({
      id: this.id,
      events: this.events,
      store: this.store,
      signal: this.signal,
      timeout,
      attempts: this.attempts,
      parentDeadline: this.deadline,
    });
  }

  /**
   * A scope that ends with this one but can also be cancelled alone (a hedge's losing branch); it
   * shares this call's attempts and deadline.
   */
  branch(): CallScope {
    return new CallScope({
      id: this.id,
      events: this.events,
      store: this.store,
      signal: this.signal,
      attempts: this.attempts,
      parentDeadline: this.deadline,
    });
  }

  /** Ends this scope's work in flight with `reason` (a branch's; the call's own signal stays as it is). */
  cancel(reason: RegError): void {
    this.#abort?.abort(reason);
  }

  /** The error the call ends with once its signal has aborted. */
  abortError(): RegError {
    return errorFromAbortReason(this.signal.reason);
  }

  throwIfAborted(): void {
    if (this.signal.aborted) throw this.abortError();
  }

  dispose(): void {
    this.#abort?.dispose();
  }
}
