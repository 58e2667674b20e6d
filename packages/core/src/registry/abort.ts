import { AbortedError, TimeoutError } from '../errors/errors.js';
import { RegError } from '../errors/reg-error.js';

let neverAborted: AbortSignal | undefined;

/** A signal that never aborts, for calls that have neither a caller signal nor a deadline. */
export function neverAbortedSignal(): AbortSignal {
  neverAborted ??= new AbortController().signal;
  return neverAborted;
}

/**
 * An AbortController that follows a parent signal and may time out by itself. `dispose` detaches
 * it from the parent and clears its timer; call it when the work it guards is over.
 */
export class LinkedAbort {
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal;
  readonly #onParentAbort: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The rejecter of the race in progress: a stream waits on one part at a time. */
  #pending: ((reason: unknown) => void) | undefined;

  constructor(parent: AbortSignal, timeout?: { ms: number | undefined; name: string; message: string }) {
    this.#parent = parent;
    if (parent.aborted) {
      this.#controller.abort(parent.reason);
    } else if (parent !== neverAborted) {
      this.#onParentAbort = () => this.abort(parent.reason);
      parent.addEventListener('abort', this.#onParentAbort, { once: true });
    }
    if (timeout?.ms !== undefined && !this.#controller.signal.aborted) {
      this.#timer = setTimeout(() => {
        this.abort(new TimeoutError({ timeout: timeout.name, message: timeout.message, retryable: true }));
      }, timeout.ms);
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  abort(reason?: unknown): void {
    if (this.#controller.signal.aborted) return;
    this.#controller.abort(reason);
    this.#pending?.(this.#controller.signal.reason);
  }

  /**
   * Settles like `promise`, or rejects with the abort reason the moment this aborts. Called once
   * per stream part, so it adds no listener to the signal (EventTarget calls cost more than the
   * rest of a part's trip). One race at a time.
   */
  race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.#controller.signal;
    if (signal.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.#pending = reject;
      promise.then(
        (value) => {
          if (this.#pending === reject) this.#pending = undefined;
          resolve(value);
        },
        (error: unknown) => {
          if (this.#pending === reject) this.#pending = undefined;
          reject(error);
        },
      );
    });
  }

  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#onParentAbort) this.#parent.removeEventListener('abort', this.#onParentAbort);
  }
}

/** The error a call ends with when its signal aborted: the timeout that fired, or the caller's abort. */
export function errorFromAbortReason(reason: unknown): RegError {
  if (RegError.isInstance(reason)) return reason;
  return new AbortedError({ cause: reason });
}

/** Resolves after `ms`; rejects with the signal's reason the moment it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
