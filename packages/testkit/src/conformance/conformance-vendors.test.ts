import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../emulator/types.js';
import { conformanceVendors, reportedUsage, resolveVendor } from './conformance-vendors.js';

describe('the built-in conformance vendors', () => {
  it('a vendor named by a string is the built-in description of it', () => {
    expect(resolveVendor('openai')).toBe(conformanceVendors.openai);
    const custom = { ...conformanceVendors.anthropic, name: 'custom' };
    expect(resolveVendor(custom)).toBe(custom);
    expect(() => resolveVendor('acme' as 'openai')).toThrow(/Unknown conformance vendor 'acme'/);
  });

  it('every built-in vendor maps the common error table, then its own', () => {
    const common = ['401', '403', '404', '400', '400 context length', '429 with retry-after', '500', '503'];
    for (const vendor of Object.values(conformanceVendors)) {
      expect(vendor.errorCases.slice(0, common.length).map((errorCase) => errorCase.name)).toEqual(common);
      expect(vendor.baseUrl('http://127.0.0.1:1')).toMatch(/^http:\/\/127\.0\.0\.1:1/);
    }
    expect(conformanceVendors.gemini.toolCallIdsFromVendor).toBe(false);
    expect(conformanceVendors.openrouter.baseUrl('http://h:1')).toBe('http://h:1/api/v1');
  });

  it('says which usage fields each vendor reports, Chat Completions and Responses told apart by path', () => {
    const request = (path: string) => ({ path }) as RecordedRequest;
    const reported = (name: keyof typeof conformanceVendors, path = '/') => reportedUsage(conformanceVendors[name], request(path));
    expect(reported('openai', '/v1/chat/completions')).toEqual({ cacheWrites: true, reasoning: true });
    expect(reported('openai', '/v1/responses')).toEqual({ cacheWrites: true, reasoning: true });
    expect(reported('azure')).toEqual({ cacheWrites: true, reasoning: true });
    expect(reported('openrouter')).toEqual({ cacheWrites: true, reasoning: true });
    expect(reported('anthropic')).toEqual({ cacheWrites: true, reasoning: true });
    expect(reported('bedrock')).toEqual({ cacheWrites: true, reasoning: false });
    expect(reported('gemini')).toEqual({ cacheWrites: false, reasoning: true });
    expect(reported('vertex')).toEqual({ cacheWrites: false, reasoning: true });
    const custom = { ...conformanceVendors.anthropic, usage: undefined };
    expect(reportedUsage(custom, undefined)).toEqual({ cacheWrites: false, reasoning: false });
    expect(() => reportedUsage(conformanceVendors.openai, undefined)).toThrow(/depends on the request/);
  });
});
