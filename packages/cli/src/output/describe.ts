import { RegError, type Attempt, type Usage } from '@reg/core';

/** `Claude overloaded 529 -> Gemini skipped (cooling down) -> GPT ok`: each attempt of a call, in order. */
export function describeAttempts(attempts: readonly Attempt[]): string {
  return attempts.map(describeAttempt).join(' -> ');
}

function describeAttempt(attempt: Attempt): string {
  if (attempt.status === 'success') return `${attempt.client} ok`;
  if (attempt.status === 'skipped') return `${attempt.client} skipped (${attempt.code === 'circuit_open' ? 'breaker open' : 'cooling down'})`;
  return `${attempt.client} ${attempt.code ?? 'failed'}${attempt.httpStatus ? ` ${attempt.httpStatus}` : ''}`;
}

export function describeUsage(usage: Usage): string {
  return `${usage.inputTokens} in / ${usage.outputTokens} out tokens`;
}

/** `840 ms`, `1.3 s` */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** What a failed command prints: the message and the error code, for any thrown value. */
export function describeError(error: unknown): string {
  if (RegError.isInstance(error)) return `error [${error.code}]: ${error.message}`;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}
