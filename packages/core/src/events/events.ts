import type { RegError } from '../errors/reg-error.js';
import type { Attempt, GenerateResult, Usage } from '../spec.js';
import type { BreakerStateName } from '../state/breaker.js';

export interface RegistryEvents {
  /** An attempt on a leaf client ended. */
  attempt: { call: number; attempt: Attempt };
  /** A leaf client will retry after `delayMs`. */
  retry: { call: number; client: string; retry: number; delayMs: number; error: RegError };
  /** A strategy moves from one member to the next. */
  fallback: { call: number; client: string; from: string; to: string; error: RegError };
  /** A leaf client's circuit breaker changed state (`open`: its calls are skipped until the cooldown ends). */
  breaker: { call: number; client: string; from: BreakerStateName; to: BreakerStateName };
  /** A call answered (for a stream: it finished). */
  success: { call: number; client: string; result: Pick<GenerateResult, 'client' | 'provider' | 'model' | 'attempts'> & { usage: Usage }; durationMs: number };
  /** A call failed with `error`. */
  failure: { call: number; client: string; error: RegError; durationMs: number };
}

export type RegistryEventName = keyof RegistryEvents;
export type RegistryEventHandler<Name extends RegistryEventName> = (event: RegistryEvents[Name]) => void;

/** A small typed emitter; `has` lets callers skip building events nobody listens to. */
export class EventHub {
  readonly #handlers = new Map<RegistryEventName, Set<(event: never) => void>>();

  on<Name extends RegistryEventName>(name: Name, handler: RegistryEventHandler<Name>): () => void {
    let handlers = this.#handlers.get(name);
    if (!handlers) this.#handlers.set(name, (handlers = new Set()));
    handlers.add(handler as (event: never) => void);
    return () => {
      handlers.delete(handler as (event: never) => void);
      if (handlers.size === 0) this.#handlers.delete(name);
    };
  }

  has(name: RegistryEventName): boolean {
    return this.#handlers.has(name);
  }

  emit<Name extends RegistryEventName>(name: Name, event: RegistryEvents[Name]): void {
    const handlers = this.#handlers.get(name);
    if (!handlers) return;
    for (const handler of handlers) {
      try {
        (handler as RegistryEventHandler<Name>)(event);
      } catch {
        // A listener's bug must not fail the call it observes.
      }
    }
  }
}
