import type { FinishReason } from '@reg/core';

/** Chat Completions' `finish_reason` (every documented value, and the legacy `function_call`). */
export function mapOpenAIChatFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}
