import type { Fault, ModelScript, Outcome, RecordedRequest, Reply } from './types.js';

/** Per-model scripts; each call consumes the next outcome of the model's sequence. */
export class ScriptStore {
  readonly #scripts = new Map<string, ModelScript>();
  readonly #positions = new Map<string, number>();

  set(model: string, script: ModelScript): void {
    this.#scripts.set(model, script);
    this.#positions.set(model, 0);
  }

  clear(): void {
    this.#scripts.clear();
    this.#positions.clear();
  }

  take(model: string, request: RecordedRequest): { script: ModelScript; outcome: Exclude<Outcome, 'ok'> } {
    const script = this.#scripts.get(model) ?? {};
    const position = this.#positions.get(model) ?? 0;
    let outcome: Outcome | undefined = script.sequence?.[position];
    if (script.sequence && position < script.sequence.length) this.#positions.set(model, position + 1);
    if (outcome === undefined || outcome === 'ok') outcome = script.reply ?? echoReply(request);
    return { script, outcome };
  }
}

/** The default reply: echoes the last user text, so an unscripted model still answers sensibly. */
export function echoReply(request: RecordedRequest): Reply {
  const text = lastUserText(request.body);
  return { text: text ? `echo: ${text}` : 'Hello from the reg emulator.' };
}

function lastUserText(body: unknown): string | undefined {
  const json = JSON.stringify(body ?? '');
  // Vendor-neutral: the last "text"/"content" string in the body is the newest user input.
  const matches = [...json.matchAll(/"(?:text|content|input)":"((?:[^"\\]|\\.)*)"/g)];
  const last = matches.at(-1)?.[1];
  return last === undefined ? undefined : (JSON.parse(`"${last}"`) as string);
}

/** The reply to render: the outcome itself, or for a stream-shaped fault the reply it interrupts. */
export function replyFor(outcome: Reply | Fault, script: ModelScript, request: RecordedRequest): Reply {
  if (!isFault(outcome)) return outcome;
  return script.reply ?? echoReply(request);
}

/** Whether an outcome is a fault (it has a `kind`) rather than a reply. */
export function isFault(outcome: Exclude<Outcome, 'ok'>): outcome is Extract<Outcome, { kind: string }> {
  return typeof outcome === 'object' && 'kind' in outcome;
}
