import type { LanguageModelV2Usage, LanguageModelV4Usage } from '@ai-sdk/provider';

/**
 * A language model passed in code that reports `usage` from doGenerate and in its stream's finish,
 * in the shape of its specification version (v4 and v3 nested, v2 flat).
 */
export function modelReporting(specificationVersion: 'v4' | 'v3', usage: LanguageModelV4Usage): Record<string, unknown>;
export function modelReporting(specificationVersion: 'v2', usage: LanguageModelV2Usage): Record<string, unknown>;
export function modelReporting(specificationVersion: 'v4' | 'v3' | 'v2', usage: LanguageModelV4Usage | LanguageModelV2Usage): Record<string, unknown> {
  const finishReason = specificationVersion === 'v2' ? 'stop' : { unified: 'stop', raw: 'stop' };
  return {
    specificationVersion,
    provider: 'usage.chat',
    modelId: 'usage-model',
    supportedUrls: {},
    doGenerate: async () => ({ content: [{ type: 'text', text: 'Done.' }], finishReason, usage, warnings: [] }),
    doStream: async () => ({
      stream: new ReadableStream({
        start(controller) {
          controller.enqueue({ type: 'text-delta', id: '0', delta: 'Done.' });
          controller.enqueue({ type: 'finish', finishReason, usage });
          controller.close();
        },
      }),
    }),
  };
}
