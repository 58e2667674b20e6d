import type { FinishReason } from '@reg/core';
import { isRecord } from '@reg/provider-utils';

/**
 * An AI SDK finish reason as reg's. v4 and v3 send `{ unified, raw }`, v2 the unified value alone.
 * `unified` stays in the result: a stream that ends `interrupted` or `error` fails instead of
 * finishing (see map-ai-sdk-stream.ts).
 */
export function mapAiSdkFinishReason(finishReason: unknown): { finishReason: FinishReason; rawFinishReason?: string; unified: string } {
  const unified = isRecord(finishReason) ? String(finishReason.unified) : String(finishReason);
  const raw = isRecord(finishReason) ? finishReason.raw : undefined;
  return { finishReason: unifiedFinishReason(unified), unified, ...(typeof raw === 'string' ? { rawFinishReason: raw } : {}) };
}

function unifiedFinishReason(unified: string): FinishReason {
  switch (unified) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool-calls';
    case 'content-filter':
      return 'content-filter';
    case 'error':
    case 'interrupted': // v4: the vendor's stream ended without a completion signal
    case 'other':
    case 'unknown': // v2
    default:
      return 'other';
  }
}
