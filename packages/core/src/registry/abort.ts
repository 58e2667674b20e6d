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

  constructor(parent: AbortSignal, timeout?: { ms: number | undefined; name: string; message: string }) {
    this.#parent = parent;
    if (parent.aborted) {
      this.#controller.abort(parent.reason);
    } else if (parent !== neverAborted) {
      this.#onParentAbort = () => this.#controller.abort(parent.reason);
      parent.addEventListener('abort', this.#onParentAbort, { once: true });
    }
    if (timeout?.ms !== undefined && !this.#controller.signal.aborted) {
      this.#timer = setTimeout(() => {
        this.#controller.abort(new TimeoutError({ timeout: timeout.name, message: timeout.message, retryable: true }));
      }, timeout.ms);
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  abort(reason?: unknown): void {
    this.#controller.abort(reason);
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

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal === neverAborted) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
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
