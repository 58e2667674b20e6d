import { NoSuchModelError, type LanguageModelV4, type ProviderV4 } from '@ai-sdk/provider';
import { ClientRegistry } from '@reg/core';
import { describe, expect, it } from 'vitest';
import { createReg, RegLanguageModel } from '../src/index.js';

describe('createReg', () => {
  const reg = createReg({ registry: new ClientRegistry({ env: {} }) });

  it('makes language models of the current specification for any client reference', () => {
    const model = reg('Resilient');
    expect(model).toBeInstanceOf(RegLanguageModel);
    expect(model).toMatchObject({ specificationVersion: 'v4', provider: 'reg', modelId: 'Resilient' });
    expect(reg.languageModel('openai/gpt-4o-mini').modelId).toBe('openai/gpt-4o-mini');
    expect(reg.specificationVersion).toBe('v4');
    // The AI SDK's own types accept both (checked by typecheck).
    const asSpecModel: LanguageModelV4 = model;
    const asSpecProvider: ProviderV4 = reg;
    expect(asSpecProvider.languageModel('A').modelId).toBe('A');
    expect(asSpecModel.provider).toBe('reg');
  });

  it('sends http(s) image URLs as they are by default, and takes other patterns', () => {
    expect(reg('A').supportedUrls).toEqual({ 'image/*': [/^https?:\/\//] });
    const downloading = createReg({ registry: new ClientRegistry({ env: {} }), supportedUrls: {} });
    expect(downloading('A').supportedUrls).toEqual({});
  });

  it('throws NoSuchModelError for other model kinds', () => {
    for (const make of [() => reg.embeddingModel('e'), () => reg.imageModel('i')]) {
      let thrown: unknown;
      try {
        make();
      } catch (error) {
        thrown = error;
      }
      expect(NoSuchModelError.isInstance(thrown)).toBe(true);
    }
  });

  it('rejects a timeoutMs that is not a positive number', async () => {
    const model = reg('A');
    await expect(model.doGenerate({ prompt: [{ role: 'system', content: 'x' }], providerOptions: { reg: { timeoutMs: -1 } } })).rejects.toThrow(/timeoutMs must be a positive/);
  });
});
