import { MissingCredentialsError } from '@reg/core';
import { describe, expect, it } from 'vitest';
import { loadApiKey } from './load-api-key.js';

const context = (env: Record<string, string | undefined>) => ({ client: 'Fast', env });

describe('loadApiKey', () => {
  it('takes the option first, then the registry environment in the order given', () => {
    expect(loadApiKey({ apiKey: 'sk-option', environmentVariable: 'ACME_API_KEY', context: context({ ACME_API_KEY: 'sk-env' }), provider: 'acme' })).toBe('sk-option');
    expect(loadApiKey({ apiKey: undefined, environmentVariable: 'ACME_API_KEY', context: context({ ACME_API_KEY: 'sk-env' }), provider: 'acme' })).toBe('sk-env');
    const both = { GOOGLE_API_KEY: 'g', GEMINI_API_KEY: 'm' };
    expect(loadApiKey({ apiKey: undefined, environmentVariable: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'], context: context(both), provider: 'google-ai' })).toBe('g');
    expect(loadApiKey({ apiKey: undefined, environmentVariable: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'], context: context({ GEMINI_API_KEY: 'm' }), provider: 'google-ai' })).toBe('m');
  });

  it('fails with one message naming the option and every variable', () => {
    const attempt = () => loadApiKey({ apiKey: undefined, environmentVariable: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'], context: context({ GOOGLE_API_KEY: '' }), provider: 'google-ai', model: 'gemini-2.5-flash' });
    expect(attempt).toThrow(MissingCredentialsError);
    expect(attempt).toThrow("Client 'Fast' (google-ai) has no credentials: set options.api_key or set the GOOGLE_API_KEY (or GEMINI_API_KEY) environment variable.");
    expect(() => loadApiKey({ apiKey: undefined, environmentVariable: 'AZURE_OPENAI_API_KEY', option: 'api_key (or azure_ad_token_provider)', context: context({}), provider: 'azure-openai' })).toThrow(
      'set options.api_key (or azure_ad_token_provider) or set the AZURE_OPENAI_API_KEY environment variable',
    );
  });
});
