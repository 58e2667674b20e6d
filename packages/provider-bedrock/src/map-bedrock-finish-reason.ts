import type { StopReason } from '@aws-sdk/client-bedrock-runtime';
import type { FinishReason } from '@reg/core';

/** Converse's stop reasons (every documented value) as reg's finish reasons. */
export function mapBedrockFinishReason(stopReason: StopReason | string | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content-filter';
    case 'malformed_model_output':
    case 'malformed_tool_use':
    default:
      return 'other';
  }
}
