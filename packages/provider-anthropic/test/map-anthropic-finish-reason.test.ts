import { expect, it } from 'vitest';
import { mapAnthropicFinishReason } from '../src/map-anthropic-finish-reason.js';

it('maps every documented stop_reason, and anything else to other', () => {
  const reasons = ['end_turn', 'stop_sequence', 'max_tokens', 'model_context_window_exceeded', 'tool_use', 'refusal', 'pause_turn', 'something_new', null, undefined];
  expect(reasons.map(mapAnthropicFinishReason)).toEqual(['stop', 'stop', 'length', 'length', 'tool-calls', 'content-filter', 'other', 'other', 'other', 'other']);
});
