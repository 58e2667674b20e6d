import type { EventHub } from '../events/events.js';
import type { RegError } from '../errors/reg-error.js';
import type { Attempt, CallScope } from '../spec.js';
import type { StateStore } from '../state/state-store.js';
import { LinkedAbort, errorFromAbortReason, neverAbortedSignal } from './abort.js';

/** The registry's CallScope (spec.ts says what one is): a call's signal, deadline, attempts, events and state. */
export class RegistryScope implements CallScope {
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

  child(timeout: { ms: number; name: string }): RegistryScope {
    return new RegistryScope({
      id: this.id,
      events: this.events,
      store: this.store,
      signal: this.signal,
      timeout,
      attempts: this.attempts,
      parentDeadline: this.deadline,
    });
  }

  branch(): RegistryScope {
    return new RegistryScope({
      id: this.id,
      events: this.events,
      store: this.store,
      signal: this.signal,
      attempts: this.attempts,
      parentDeadline: this.deadline,
    });
  }

  cancel(reason: RegError): void {
    this.#abort?.abort(reason);
  }

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
