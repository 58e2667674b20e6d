import { describe, expect, it } from 'vitest';
import { missingCapability } from './capabilities.js';

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
});
