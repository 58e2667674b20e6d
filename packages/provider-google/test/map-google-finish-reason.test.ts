import { FinishReason as GoogleFinishReason } from '@google/genai';
import type { FinishReason } from '@reg/core';
import { describe, expect, it } from 'vitest';
import { mapGoogleFinishReason } from '../src/map-google-finish-reason.js';

/** Every value of the installed SDK's FinishReason, and what it means to reg. */
const EXPECTED: Record<`${GoogleFinishReason}`, FinishReason> = {
  FINISH_REASON_UNSPECIFIED: 'other',
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content-filter',
  RECITATION: 'content-filter',
  LANGUAGE: 'other',
  OTHER: 'other',
  BLOCKLIST: 'content-filter',
  PROHIBITED_CONTENT: 'content-filter',
  SPII: 'content-filter',
  MALFORMED_FUNCTION_CALL: 'other',
  IMAGE_SAFETY: 'content-filter',
  UNEXPECTED_TOOL_CALL: 'other',
  TOO_MANY_TOOL_CALLS: 'other',
  IMAGE_PROHIBITED_CONTENT: 'content-filter',
  NO_IMAGE: 'other',
  IMAGE_RECITATION: 'content-filter',
  IMAGE_OTHER: 'other',
  CONTINUATION: 'length',
  MALFORMED_RESPONSE: 'other',
};

describe('Gemini finish reasons', () => {
  it.each(Object.values(GoogleFinishReason))('%s', (reason) => {
    expect(mapGoogleFinishReason({ finishReason: reason, blockReason: undefined, hasToolCalls: false })).toBe(EXPECTED[reason]);
  });

  it.each([
    [{ finishReason: 'RECITATION' }, 'content-filter'],
    [{ finishReason: 'BLOCKLIST' }, 'content-filter'],
    [{ finishReason: 'MODEL_ARMOR' }, 'content-filter'],
    [{ finishReason: 'JAILBREAK' }, 'content-filter'],
    [{ finishReason: 'PROHIBITED_CONTENT' }, 'content-filter'],
    [{ finishReason: 'SPII' }, 'content-filter'],
    [{ finishReason: 'IMAGE_SAFETY' }, 'content-filter'],
    [{ blockReason: 'SAFETY' }, 'content-filter'],
    [{ finishReason: 'MALFORMED_FUNCTION_CALL' }, 'other'],
    [{ finishReason: 'STOP', hasToolCalls: true }, 'tool-calls'],
    [{ finishReason: 'MAX_TOKENS', hasToolCalls: true }, 'length'],
    [{ finishReason: 'SAFETY', hasToolCalls: true }, 'content-filter'],
    [{ finishReason: 'A_VALUE_NEWER_THAN_THE_SDK' }, 'other'],
    [{}, 'other'],
  ])('finish reason %o -> %s', (input, expected) => {
    expect(mapGoogleFinishReason({ finishReason: undefined, blockReason: undefined, hasToolCalls: false, ...input })).toBe(expected);
  });
});
