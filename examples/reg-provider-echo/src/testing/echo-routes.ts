import { randomBytes } from 'node:crypto';
import { serveOutcome, splitText, toolCallsOf, usageOf, type Exchange, type RenderContext, type Reply, type StatusFault, type VendorRoute, type WireFormat } from '@reg/testkit';
import {
  ECHO_FILE_MAX_BYTES,
  ECHO_FILE_TYPES,
  KEY_HEADER,
  PROBLEM_STATUS,
  type EchoProblem,
  type EchoProblemKind,
  type EchoReply,
  type EchoStop,
  type EchoStreamLine,
  type EchoTokens,
} from '../echo-api.js';

/** The only key the emulated Echo API accepts. A test value, valid nowhere else. */
export const ECHO_TEST_KEY = 'echo-test-key-0000';

/** The emulator's vendor name for the Echo API (`emulator.requests({ vendor: 'echo' })`). */
export const ECHO_VENDOR = 'echo';

/** Where a client points to reach the emulated Echo API on a server at `origin`. */
export function echoBaseUrl(origin: string): string {
  return `${origin}/echo/v1`;
}

/**
 * The Echo API on `@reg/testkit`'s emulator: `startEmulator({ routes: echoRoutes })`. Scripts,
 * replies and every fault kind work as for the built-in vendors; the answers are in the Echo API's
 * format.
 */
export const echoRoutes: VendorRoute[] = [{ vendor: ECHO_VENDOR, method: 'POST', pattern: /^\/echo\/v1\/replies$/, handle: handleReplies }];

async function handleReplies(exchange: Exchange): Promise<void> {
  const body = exchange.request.body as Record<string, unknown> | undefined;
  const model = typeof body?.model === 'string' && body.model !== '' ? body.model : undefined;
  // Recorded before any check, so a refused request still shows under its model.
  exchange.request.model = model;
  const key = exchange.request.headers[KEY_HEADER];
  if (key !== ECHO_TEST_KEY) {
    const detail = key === undefined ? `Send your key in the ${KEY_HEADER} header.` : `The key in ${KEY_HEADER} is not valid.`;
    return sendProblem(exchange, 401, { kind: 'unauthenticated', detail });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return sendProblem(exchange, 400, { kind: 'bad_request', detail: 'The body must be a JSON object.' });
  if (!model) return sendProblem(exchange, 400, { kind: 'bad_request', detail: 'model is required.' });
  if (!Array.isArray(body.turns) || body.turns.length === 0) return sendProblem(exchange, 400, { kind: 'bad_request', detail: 'turns must be a non-empty list.' });
  const refused = refusedUserPart(body.turns);
  if (refused) return sendProblem(exchange, 400, { kind: 'bad_request', detail: refused });
  await serveOutcome(exchange, { model, stream: body.stream === true, format: ECHO_FORMAT });
}

/** Why the API refuses a user part (not text, an image or a file it takes), or undefined when it takes them all. */
function refusedUserPart(turns: unknown[]): string | undefined {
  for (const [index, turn] of turns.entries()) {
    const { from, parts } = (turn ?? {}) as { from?: unknown; parts?: unknown };
    if (from !== 'user' || !Array.isArray(parts)) continue;
    for (const [position, part] of parts.entries()) {
      const where = `turns[${index}].parts[${position}]`;
      const record = (part ?? {}) as Record<string, unknown>;
      if (typeof record.text === 'string' || typeof record.image === 'object') continue;
      if (typeof record.file !== 'object' || record.file === null) return `${where} must be a text, image or file part.`;
      const file = record.file as { base64?: unknown; url?: unknown; media_type?: unknown };
      if (!(ECHO_FILE_TYPES as readonly unknown[]).includes(file.media_type)) return `${where}.file.media_type must be one of ${ECHO_FILE_TYPES.join(', ')}.`;
      if (typeof file.base64 === 'string') {
        const bytes = Buffer.byteLength(file.base64, 'base64');
        if (bytes > ECHO_FILE_MAX_BYTES) return `${where}.file holds ${bytes} bytes; a file may hold at most ${ECHO_FILE_MAX_BYTES}.`;
      } else if (typeof file.url !== 'string') {
        return `${where}.file needs base64 or url.`;
      }
    }
  }
  return undefined;
}

function sendProblem(exchange: Exchange, status: number, problem: EchoProblem): void {
  exchange.json(status, { problem });
}

const KIND_BY_STATUS: Readonly<Record<number, EchoProblemKind>> = Object.fromEntries(
  Object.entries(PROBLEM_STATUS)
    .filter(([kind]) => kind !== 'context_too_long' && kind !== 'blocked')
    .map(([kind, status]) => [status, kind as EchoProblemKind]),
);

const DETAIL: Readonly<Record<string, string>> = {
  bad_request: 'The request is not valid.',
  context_too_long: 'The turns are longer than the model reads.',
  blocked: 'The request was blocked by the content policy.',
  unauthenticated: 'The key is not valid.',
  out_of_credits: 'The account has no credits left.',
  forbidden: 'This key may not use this model.',
  unknown_model: 'No such model.',
  rate_limited: 'Too many requests; slow down.',
  internal: 'Something went wrong on our side.',
  overloaded: 'The service is overloaded; try again soon.',
};

const ECHO_FORMAT: WireFormat = {
  streamHeaders: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' },

  answer(reply, context): EchoReply {
    const output: EchoReply['output'] = [];
    if (reply.text) output.push({ type: 'text', text: reply.text });
    for (const call of toolCallsOf(reply)) output.push({ type: 'call', id: call.id, tool: call.name, args: parseArgs(call.arguments) });
    return { id: `rep_${randomBytes(8).toString('hex')}`, model: context.model, output, stop: stopOf(reply), tokens: tokensOf(reply, context) };
  },

  stream(reply, context) {
    const line = (value: EchoStreamLine) => `${JSON.stringify(value)}\n`;
    const frames = splitText(reply.text ?? '', context.chunkSize).map((text) => ({ data: line({ type: 'text', text }), content: true }));
    for (const call of toolCallsOf(reply)) {
      for (const args of splitText(call.arguments, context.chunkSize)) frames.push({ data: line({ type: 'call', id: call.id, tool: call.name, args }), content: true });
    }
    frames.push({ data: line({ type: 'done', stop: stopOf(reply), tokens: tokensOf(reply, context) }), content: false });
    return {
      frames,
      inBandError: (fault) => {
        const kind = fault.type ?? 'internal';
        return line({ type: 'problem', problem: { kind, detail: fault.message ?? DETAIL[kind] ?? kind } });
      },
      malformed: () => '{"type":"text","text":"unterminated\n',
    };
  },

  statusError(fault: StatusFault) {
    const kind = fault.type ?? fault.code ?? KIND_BY_STATUS[fault.status] ?? (fault.status >= 500 ? 'internal' : 'bad_request');
    // The Echo API's only wait hint is `retry-after`, in whole seconds.
    const seconds = fault.retryAfterSeconds ?? (fault.retryAfterMs === undefined ? undefined : Math.ceil(fault.retryAfterMs / 1000));
    const headers: Record<string, string> = seconds === undefined ? {} : { 'retry-after': String(seconds) };
    return { body: { problem: { kind, detail: fault.message ?? DETAIL[kind] ?? kind } }, headers };
  },
};

function stopOf(reply: Reply): EchoStop {
  switch (reply.finishReason ?? (reply.toolCalls?.length ? 'tool-calls' : 'stop')) {
    case 'length':
      return 'limit';
    case 'tool-calls':
      return 'tool';
    case 'content-filter':
      return 'blocked';
    default:
      return 'done';
  }
}

/** The scripted usage, which is in reg's meaning as the API's is; each part present when any. */
function tokensOf(reply: Reply, context: RenderContext): EchoTokens {
  const usage = usageOf(reply, context.request);
  const tokens: EchoTokens = { in: usage.inputTokens, out: usage.outputTokens };
  if (usage.cachedInputTokens > 0) tokens.cached = usage.cachedInputTokens;
  if (usage.cacheWriteInputTokens > 0) tokens.cache_written = usage.cacheWriteInputTokens;
  if (usage.reasoningTokens > 0) tokens.reasoning = usage.reasoningTokens;
  return tokens;
}

/** Scripted arguments as the object the answer carries; text that is not JSON stays text. */
function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
