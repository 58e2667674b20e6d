import { AbortedError } from '@reg/core';

/**
 * The calls in flight, so that shutdown can wait for them (up to a grace period) and then end
 * the ones still running.
 */
export class InFlight {
  readonly #controllers = new Set<AbortController>();
  #idle: (() => void) | undefined;

  get size(): number {
    return this.#controllers.size;
  }

  /** Tracks a call's controller while it runs; call the returned function when it ends. */
  track(controller: AbortController): () => void {
    this.#controllers.add(controller);
    return () => {
      this.#controllers.delete(controller);
      if (this.#controllers.size === 0) this.#idle?.();
    };
  }

  /** Waits until no call is in flight or `graceMs` passed, then aborts those still running. */
  async drain(graceMs: number): Promise<void> {
    if (this.#controllers.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, graceMs);
      this.#idle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    for (const controller of this.#controllers) controller.abort(new AbortedError({ message: 'The gateway shut down before the answer was complete.' }));
  }
}
