import {
  defineProvider,
  RegError,
  type CallOptions,
  type ChatRequest,
  type ErrorCode,
  type HttpTimeouts,
  type ModelResult,
  type ModelStreamPart,
} from '@reg/core';

/** One scripted attempt. */
export type Step =
  | { text: string; delayMs?: number; parts?: number; partDelayMs?: number; firstPartDelayMs?: number }
  | { error: { code: ErrorCode; retryable?: boolean; retryAfterMs?: number; status?: number; message?: string }; delayMs?: number }
  /** Stream: send these text parts, then fail with the error (or end without a finish). */
  | { partsThenError: string[]; error?: { code: ErrorCode; retryable?: boolean; message?: string } }
  /** Never answers; ends only through the call's signal. */
  | { hang: true }
  /** Throws something that is not a RegError. */
  | { crash: string };

export interface ScriptedCall {
  model: string;
  request: ChatRequest;
  call: CallOptions;
  /** The client's `options.http`, as the model was given it when it was built. */
  http: HttpTimeouts;
  startedAt: number;
  aborted: boolean;
}

/**
 * An in-process provider made with defineProvider, core's own plugin contract: each model name
 * has a list of steps consumed one per attempt (the last repeats). It records every attempt.
 */
export function createScriptedProvider(name = 'scripted') {
  const scripts = new Map<string, Step[]>();
  const calls: ScriptedCall[] = [];
  let modelsBuilt = 0;

  const take = (model: string): Step => {
    const steps = scripts.get(model) ?? [{ text: `reply from ${model}` }];
    return steps.length > 1 ? steps.shift()! : steps[0]!;
  };

  const provider = defineProvider<{ model: string; api_key?: string; fail_build?: boolean; extra?: unknown }>({
    name,
    parseOptions(raw, context) {
      if (raw.temperature !== undefined && typeof raw.temperature !== 'number') {
        throw new RegError({ code: 'config', message: `${context.path}.temperature must be a number` });
      }
      return raw as { model: string; api_key?: string; fail_build?: boolean };
    },
    createModel(options, context) {
      if (options.fail_build) {
        throw new RegError({ code: 'missing_credentials', message: `Client '${context.client}' has no credentials: set options.api_key or SCRIPTED_API_KEY.` });
      }
      modelsBuilt++;
      const model = options.model;
      const { http } = context;
      return {
        provider: name,
        model,
        async doGenerate(request, call): Promise<ModelResult> {
          const record: ScriptedCall = { model, request, call, http, startedAt: performance.now(), aborted: false };
          calls.push(record);
          call.signal.addEventListener('abort', () => (record.aborted = true));
          const step = take(model);
          if ('hang' in step) return new Promise<never>(() => undefined);
          if ('crash' in step) throw new TypeError(step.crash);
          if ('partsThenError' in step) throw scriptedError(step.error ?? { code: 'server', retryable: true });
          if (step.delayMs) await sleep(step.delayMs, call.signal);
          if ('error' in step) throw scriptedError(step.error);
          return {
            content: [{ type: 'text', text: step.text }],
            finishReason: 'stop',
            usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8 },
          };
        },
        async *doStream(request, call): AsyncGenerator<ModelStreamPart> {
          const record: ScriptedCall = { model, request, call, http, startedAt: performance.now(), aborted: false };
          calls.push(record);
          call.signal.addEventListener('abort', () => (record.aborted = true));
          const step = take(model);
          if ('hang' in step) {
            await new Promise<never>(() => undefined);
            return;
          }
          if ('crash' in step) throw new TypeError(step.crash);
          if ('error' in step && !('partsThenError' in step)) {
            if (step.delayMs) await sleep(step.delayMs, call.signal);
            throw scriptedError(step.error);
          }
          if ('partsThenError' in step) {
            for (const text of step.partsThenError) yield { type: 'text-delta', text };
            if (step.error) throw scriptedError(step.error);
            return;
          }
          const count = step.parts ?? 2;
          const size = Math.ceil(step.text.length / count);
          if (step.delayMs) await sleep(step.delayMs, call.signal);
          for (let index = 0; index < count; index++) {
            const delay = index === 0 ? step.firstPartDelayMs : step.partDelayMs;
            if (delay) await sleep(delay, call.signal);
            yield { type: 'text-delta', text: step.text.slice(index * size, (index + 1) * size) };
          }
          yield { type: 'finish', finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8 } };
        },
      };
    },
  });

  return {
    provider,
    calls,
    /** Sets the steps of a model; each attempt consumes one, the last one repeats. */
    script(model: string, steps: Step[]) {
      scripts.set(model, [...steps]);
    },
    callsOf(model: string) {
      return calls.filter((call) => call.model === model);
    },
    get modelsBuilt() {
      return modelsBuilt;
    },
  };
}

function scriptedError(error: { code: ErrorCode; retryable?: boolean; retryAfterMs?: number; status?: number; message?: string }) {
  return new RegError({ message: error.message ?? `scripted ${error.code}`, ...error });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

export const user = (text: string): ChatRequest => ({ messages: [{ role: 'user', content: text }] });

/** Jitter off, so delays are exact. */
export const noJitter = () => 0;
