import type { ContentPart, ModelResult, Usage } from '@reg/core';
import { isRecord, parseToolInput } from '@reg/provider-utils';
import { mapAiSdkFinishReason } from './map-ai-sdk-finish-reason.js';

/**
 * Result mapping shared by generate and stream. It reads v4/v3 shapes (usage as nested objects)
 * and v2 shapes (flat numbers), so a package on an older specification works unchanged.
 */

/** A doGenerate result as reg's ModelResult; reasoning, sources, files and provider-executed tools are not part of reg's result. */
export function mapAiSdkResponse(result: { content: unknown[]; finishReason: unknown; usage: unknown; response?: { headers?: unknown } }): ModelResult {
  const content: ContentPart[] = [];
  for (const part of result.content) {
    if (!isRecord(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string' && part.text !== '') {
      const previous = content.at(-1);
      // Some packages split one answer into several text parts; reg's content keeps one per run of text.
      if (previous?.type === 'text') previous.text += part.text;
      else content.push({ type: 'text', text: part.text });
    } else if (part.type === 'tool-call' && part.providerExecuted !== true) {
      content.push({ type: 'tool-call', toolCallId: String(part.toolCallId), toolName: String(part.toolName), input: toolInputOf(part.input ?? part.args) });
    }
  }
  const { finishReason, rawFinishReason } = mapAiSdkFinishReason(result.finishReason);
  const requestId = requestIdOf(result.response?.headers);
  return {
    content,
    finishReason,
    usage: mapUsage(result.usage),
    ...(rawFinishReason === undefined ? {} : { rawFinishReason }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

/** reg's usage: inputTokens includes cache reads (the spec's `inputTokens.total`), cachedInputTokens is `cacheRead`. */
export function mapUsage(usage: unknown): Usage {
  if (!isRecord(usage)) return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  let inputTokens: number;
  let cachedInputTokens: number | undefined;
  if (isRecord(input)) {
    cachedInputTokens = count(input.cacheRead);
    inputTokens = count(input.total) ?? (count(input.noCache) ?? 0) + (cachedInputTokens ?? 0) + (count(input.cacheWrite) ?? 0);
  } else {
    inputTokens = count(input) ?? 0;
    cachedInputTokens = count(usage.cachedInputTokens);
  }
  const outputTokens = isRecord(output) ? (count(output.total) ?? (count(output.text) ?? 0) + (count(output.reasoning) ?? 0)) : (count(output) ?? 0);
  const totalTokens = isRecord(input) ? inputTokens + outputTokens : (count(usage.totalTokens) ?? inputTokens + outputTokens);
  return { inputTokens, outputTokens, totalTokens, ...(cachedInputTokens === undefined ? {} : { cachedInputTokens }) };
}

/** Tool input arrives as JSON text; an empty input is an empty object. */
/** A tool call's input: JSON text (AI SDK v4 and v3) parsed as every provider parses it, or v2's parsed args as they are. */
export function toolInputOf(input: unknown): unknown {
  if (input === undefined || input === null) return {};
  return typeof input === 'string' ? parseToolInput(input) : input;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-amzn-requestid', 'cf-ray'];

function requestIdOf(headers: unknown): string | undefined {
  if (!isRecord(headers)) return undefined;
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
