// `@reg/core/state`: what a StateStore implementation needs to keep core's semantics (the breaker's
// pure transitions), for stores other than the in-memory one (`@reg/state-redis`).
export {
  ADMITTED,
  admitBreaker,
  closedBreaker,
  recordOutcome,
  type Admission,
  type BreakerChange,
  type BreakerOutcome,
  type BreakerRecord,
  type BreakerStateName,
} from './breaker.js';
