import { expect, it } from 'vitest';
import { parseToolInput } from './tool-input.js';

it('parses tool arguments, keeps what is not JSON, and reads nothing as no arguments', () => {
  expect(parseToolInput('{"city":"Paris"}')).toEqual({ city: 'Paris' });
  expect(parseToolInput('{"city":"Par')).toBe('{"city":"Par');
  expect(parseToolInput('  ')).toEqual({});
  expect(parseToolInput(undefined)).toEqual({});
});
