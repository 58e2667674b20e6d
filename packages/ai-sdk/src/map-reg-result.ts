import type {
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4Usage,
  SharedV4ProviderMetadata,
  SharedV4Warning,
} from '@ai-sdk/provider';
import type { CallRecord, ChatRequest, FinishReason, GenerateResult, Usage } from '@reg/core';
import { PROVIDER_NAME } from './reg-call-settings.js';

export function mapRegResult(result: GenerateResult, request: ChatRequest, warnings: SharedV4Warning[]): LanguageModelV4GenerateResult {
  const content: LanguageModelV4Content[] = result.content.map((part) =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : { type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: toolInput(part.input) },
  );
  return {
    content,
    finishReason: mapFinishReason(result.finishReason, result.rawFinishReason),
    usage: mapUsage(result.usage),
    providerMetadata: regMetadata(result, result.requestId),
    request: { body: request },
    // The vendor's request id is not a response id; it goes into providerMetadata.reg.requestId.
    response: { modelId: result.model },
    warnings,
  };
}

/** The spec wants the input JSON-encoded, even a string (reg hands it over parsed). */
export function toolInput(input: unknown): string {
  return JSON.stringify(input === undefined ? {} : input);
}

export function mapFinishReason(reason: FinishReason, raw: string | undefined): LanguageModelV4FinishReason {
  return { unified: reason, raw: raw ?? reason };
}

/**
 * reg's usage as the AI SDK's (v4). Both count the same way: the input total includes cache reads
 * and writes, the output total includes reasoning; `noCache` is what is left of the input, and
 * `text` what is left of the output once the vendor reported its reasoning tokens.
 */
export function mapUsage(usage: Usage): LanguageModelV4Usage {
  const { inputTokens, outputTokens, cachedInputTokens: cacheRead, cacheWriteInputTokens: cacheWrite, reasoningTokens: reasoning } = usage;
  const raw: LanguageModelV4Usage['raw'] = { inputTokens, outputTokens, totalTokens: usage.totalTokens };
  if (cacheRead !== undefined) raw.cachedInputTokens = cacheRead;
  if (cacheWrite !== undefined) raw.cacheWriteInputTokens = cacheWrite;
  if (reasoning !== undefined) raw.reasoningTokens = reasoning;
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens - (cacheRead ?? 0) - (cacheWrite ?? 0), cacheRead, cacheWrite },
    outputTokens: { total: outputTokens, text: reasoning === undefined ? undefined : outputTokens - reasoning, reasoning },
    raw,
  };
}

/** `providerMetadata.reg`: which leaf client answered, and every attempt on the way. */
export function regMetadata(record: CallRecord, requestId: string | undefined): SharedV4ProviderMetadata {
  const attempts = record.attempts.map((attempt) => {
    // Only defined fields: the metadata must be plain JSON.
    const entry: Record<string, string | number> = {
      client: attempt.client,
      provider: attempt.provider,
      model: attempt.model,
      status: attempt.status,
      durationMs: attempt.durationMs,
    };
    for (const key of ['code', 'httpStatus', 'message', 'retryAfterMs', 'gaveUp'] as const) {
      const value = attempt[key];
      if (value !== undefined) entry[key] = value;
    }
    return entry;
  });
  const metadata: Record<string, string | Array<Record<string, string | number>>> = {
    client: record.client,
    provider: record.provider,
    model: record.model,
    attempts,
  };
  if (requestId !== undefined) metadata.requestId = requestId;
  return { [PROVIDER_NAME]: metadata };
}
