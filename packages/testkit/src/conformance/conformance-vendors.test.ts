import { describe, expect, it } from 'vitest';
import { conformanceVendors, resolveVendor } from './conformance-vendors.js';

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
});
