import type { StateStore } from '../state/state-store.js';

/** Per-client retry budget, a token bucket as in the AWS SDK's standard retry mode. */
export interface RetryBudget {
  /** Tokens in a full bucket. */
  capacity: number;
  /** Tokens a retry costs. */
  retryCost: number;
  /** Tokens a retry after a timeout costs. */
  timeoutRetryCost: number;
  /** Tokens a first-attempt success puts back. */
  successRefund: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudget = Object.freeze({
  capacity: 500,
  retryCost: 5,
  timeoutRetryCost: 10,
  successRefund: 1,
});

export function budgetKey(client: string): string {
  return `retry-budget:${client}`;
}

/** Takes a retry's cost from the client's bucket; false when the bucket is empty. */
export async function acquireRetry(
  store: StateStore,
  client: string,
  budget: RetryBudget,
  afterTimeout: boolean,
): Promise<boolean> {
  return store.take(budgetKey(client), afterTimeout ? budget.timeoutRetryCost : budget.retryCost, budget.capacity);
}

/** After a success: a retried call returns what its last retry took, a first-try success a little. */
export function refundRetry(store: StateStore, client: string, budget: RetryBudget, retried: number, afterTimeout: boolean): void {
  const amount = retried > 0 ? (afterTimeout ? budget.timeoutRetryCost : budget.retryCost) : budget.successRefund;
  void Promise.resolve(store.give(budgetKey(client), amount, budget.capacity)).catch(() => {
    // A store that fails to refund only leaves the bucket emptier; the call already succeeded.
  });
}
