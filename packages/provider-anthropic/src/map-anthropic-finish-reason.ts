import type { FinishReason } from '@reg/core';

/** The Messages API's `stop_reason`: every documented value, in the order its reference lists them. */
export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
      return 'stop';
    case 'max_tokens':
      return 'length';
    case 'stop_sequence':
      return 'stop';
    case 'tool_use':
      return 'tool-calls';
    case 'pause_turn':
      return 'other';
    case 'refusal':
      return 'content-filter';
    case 'model_context_window_exceeded':
      return 'length';
    default:
      return 'other';
  }
}
