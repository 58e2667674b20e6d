import type { FinishReason } from '@reg/core';

/**
 * Gemini's finish reason (every value of the API's `FinishReason`), with a blocked prompt and
 * function calls taken into account: a filter or a cut wins over the calls the answer holds.
 */
export function mapGoogleFinishReason(input: { finishReason: string | undefined; blockReason: string | undefined; hasToolCalls: boolean }): FinishReason {
  if (input.blockReason) return 'content-filter';
  switch (input.finishReason) {
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
    // Vertex's Model Armor and jailbreak blocks; the SDK names them as prompt block reasons, and a
    // candidate stopped for them means the same.
    case 'MODEL_ARMOR':
    case 'JAILBREAK':
      return 'content-filter';
    case 'MAX_TOKENS':
    // The per-request token limit, with the rest to fetch by a continuation reg does not make.
    case 'CONTINUATION':
      return 'length';
    case 'STOP':
      return input.hasToolCalls ? 'tool-calls' : 'stop';
    case 'FINISH_REASON_UNSPECIFIED':
    case 'LANGUAGE':
    case 'OTHER':
    case 'MALFORMED_FUNCTION_CALL':
    case 'UNEXPECTED_TOOL_CALL':
    case 'TOO_MANY_TOOL_CALLS':
    case 'NO_IMAGE':
    case 'IMAGE_OTHER':
    case 'MALFORMED_RESPONSE':
    default:
      return input.hasToolCalls ? 'tool-calls' : 'other';
  }
}
