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

/**
 * The AI SDK's usage in reg's meaning. v4 and v3 count as reg does: `inputTokens.total` is all input
 * (cache reads and writes included), `outputTokens.total` all output (reasoning included), and their
 * parts go to `cachedInputTokens`, `cacheWriteInputTokens` and `reasoningTokens`; a missing total is
 * the sum of its parts. v2's flat numbers are read as `ai`'s own v2-to-v3 conversion reads them,
 * except that reasoning is added back to an output that left it out while the total counts it
 * (Google's v2 package: total = input + output + reasoning). A part that is 0 is left out.
 */
export function mapUsage(usage: unknown): Usage {
  if (!isRecord(usage)) return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  const { inputTokens: input, outputTokens: output } = usage;
  let inputTokens: number;
  let outputTokens: number;
  let cachedInputTokens: number | undefined;
  let cacheWriteInputTokens: number | undefined;
  let reasoningTokens: number | undefined;
  if (isRecord(input) && isRecord(output)) {
    cachedInputTokens = count(input.cacheRead);
    cacheWriteInputTokens = count(input.cacheWrite);
    reasoningTokens = count(output.reasoning);
    inputTokens = count(input.total) ?? (count(input.noCache) ?? 0) + (cachedInputTokens ?? 0) + (cacheWriteInputTokens ?? 0);
    outputTokens = count(output.total) ?? (count(output.text) ?? 0) + (reasoningTokens ?? 0);
  } else {
    inputTokens = count(input) ?? 0;
    outputTokens = count(output) ?? 0;
    cachedInputTokens = count(usage.cachedInputTokens);
    reasoningTokens = count(usage.reasoningTokens);
    if (reasoningTokens && count(usage.totalTokens) === inputTokens + outputTokens + reasoningTokens) outputTokens += reasoningTokens;
  }
  const result: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  // Packages write 0 for a count their vendor did not send (openai-compatible's `cached_tokens ?? 0`),
  // so a zero says nothing was reported.
  if (cachedInputTokens) result.cachedInputTokens = cachedInputTokens;
  if (cacheWriteInputTokens) result.cacheWriteInputTokens = cacheWriteInputTokens;
  if (reasoningTokens) result.reasoningTokens = reasoningTokens;
  return result;
}

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
