import { RegError, type ErrorCode } from '@reg/core';
import { httpError, inBandError, mapCommonError, whoFailed, type ErrorContext } from '@reg/provider-utils';
import { PROBLEM_STATUS, type EchoProblem } from './echo-api.js';
import { API_KEY_ENV } from './echo-options.js';

/** Problem kinds whose meaning the status alone does not carry, in the words core's classification reads. */
const KIND_MEANS: Readonly<Record<string, string>> = {
  context_too_long: 'context_length',
  blocked: 'content_filter',
  out_of_credits: 'insufficient_quota',
};

/** What to do, in this provider's option names (the toolkit's advice covers the other codes). */
const ADVICE: Readonly<Partial<Record<ErrorCode, string>>> = {
  auth: `Check options.api_key (or ${API_KEY_ENV}).`,
};

/** A non-2xx answer: `{ "problem": { "kind", "detail" } }` with its status and `retry-after`. */
export async function echoHttpError(response: Response, context: ErrorContext): Promise<RegError> {
  const text = await response.text().catch(() => '');
  const problem = problemOf(text);
  return httpError({
    status: response.status,
    message: problem?.detail ?? (text.trim().slice(0, 500) || response.statusText || 'no details'),
    headers: response.headers,
    vendorCodes: problem ? [problem.kind, KIND_MEANS[problem.kind]] : [],
    context,
    advice: ADVICE,
  });
}

/** A stream's `problem` line: classified by the status its kind comes with, which it did not receive. */
export function echoStreamError(problem: EchoProblem, context: ErrorContext): RegError {
  return inBandError({
    status: PROBLEM_STATUS[problem.kind as keyof typeof PROBLEM_STATUS] ?? 500,
    message: problem.detail,
    vendorCodes: [problem.kind, KIND_MEANS[problem.kind]],
    context,
    advice: ADVICE,
  });
}

/** A stream that ended without its `done` line: the connection closed early, worth another attempt. */
export function truncatedStreamError(context: ErrorContext): RegError {
  return new RegError({
    code: 'connection',
    retryable: true,
    message: `${whoFailed(context)}: the stream ended before its done line. Check base_url and the network.`,
    client: context.client,
    provider: context.provider,
    model: context.model,
  });
}

/** Anything else thrown during a call: the toolkit knows transport failures, aborts and unreadable JSON. */
export function mapEchoError(error: unknown, context: ErrorContext): RegError {
  return mapCommonError(error, context);
}

function problemOf(text: string): EchoProblem | undefined {
  try {
    const body = JSON.parse(text) as { problem?: Partial<EchoProblem> } | null;
    const problem = body?.problem;
    if (typeof problem?.kind === 'string') return { kind: problem.kind, detail: typeof problem.detail === 'string' ? problem.detail : problem.kind };
  } catch {
    // Not the API's JSON (a proxy's page): the text itself is the message.
  }
  return undefined;
}
