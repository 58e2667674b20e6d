/** The failure of a Redis command that did not answer in time. */
export class DeadlineError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} got no answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/**
 * Settles like `pending`, or rejects with DeadlineError once `ms` have passed. When the timer
 * fires, the verdict waits one turn of the event loop (setImmediate runs after the poll phase):
 * a reply already sitting in the socket, delayed only by a busy event loop, still counts.
 */
export function withDeadline<T>(pending: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (settled) return;
        settled = true;
        reject(new DeadlineError(what, ms));
      });
    }, ms);
    pending.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
