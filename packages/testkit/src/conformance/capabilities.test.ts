import { describe, expect, it } from 'vitest';
import { takesMediaType } from '@reg/core';
import { fileExpectation, missingCapability } from './capabilities.js';

describe('which checks run', () => {
  it('a provider that declares no capabilities gets the checks that always ran: streams and tools, not images or JSON schemas', () => {
    const provider = {};
    expect(missingCapability(provider, ['streaming'])).toBeUndefined();
    expect(missingCapability(provider, ['tools', 'streaming'])).toBeUndefined();
    expect(missingCapability(provider, ['images'])).toBe('images');
    expect(missingCapability(provider, ['jsonSchema'])).toBe('jsonSchema');
  });

  it('declared capabilities gate every check, an undeclared one counting as absent', () => {
    const provider = { capabilities: { streaming: true, images: true } };
    expect(missingCapability(provider, ['streaming'])).toBeUndefined();
    expect(missingCapability(provider, ['images'])).toBeUndefined();
    expect(missingCapability(provider, ['tools', 'streaming'])).toBe('tools');
    expect(missingCapability(provider, ['jsonSchema'])).toBe('jsonSchema');
    expect(missingCapability({ capabilities: { streaming: false, tools: true } }, ['tools', 'streaming'])).toBe('streaming');
    expect(missingCapability({ capabilities: {} }, [])).toBeUndefined();
  });

  it('a file is sent where a declared type takes it, refused where capabilities say none does, unchecked without capabilities', () => {
    const documents = { capabilities: { streaming: true, fileTypes: ['application/pdf', 'text/*'] } };
    expect(fileExpectation(documents, 'application/pdf')).toEqual({ row: 'sent', takenBy: 'application/pdf' });
    expect(fileExpectation(documents, 'text/plain')).toEqual({ row: 'sent', takenBy: 'text/*' });
    expect(fileExpectation(documents, 'audio/wav')).toEqual({ row: 'refused' });
    expect(fileExpectation({ capabilities: { streaming: true } }, 'application/pdf')).toEqual({ row: 'refused' });
    expect(fileExpectation({ capabilities: { fileTypes: ['*/*'] } }, 'audio/wav')).toEqual({ row: 'sent', takenBy: '*/*' });
    expect(fileExpectation({}, 'application/pdf')).toEqual({ row: 'unchecked' });
  });

  it('matches media types as core does: exact, under a wildcard, case and parameters aside', () => {
    expect(takesMediaType(['text/*'], 'Text/Plain; charset=utf-8')).toBe(true);
    expect(takesMediaType(['text/*'], 'textual/plain')).toBe(false);
    expect(takesMediaType(['audio/wav'], 'audio/wave')).toBe(false);
    expect(takesMediaType([], 'text/plain')).toBe(false);
  });
});
