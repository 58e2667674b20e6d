import type { FinishReason } from '@reg/core';

/** The Echo API's stop word as reg's finish reason; a word this version does not know is `other`. */
export function mapEchoFinishReason(stop: string | undefined): FinishReason {
  switch (stop) {
    case 'done':
      return 'stop';
    case 'limit':
      return 'length';
    case 'tool':
      return 'tool-calls';
    case 'blocked':
      return 'content-filter';
    default:
      return 'other';
  }
}
