import type { LanguageModelV2, LanguageModelV2StreamPart } from '@ai-sdk/provider';

/** A language model of the older v2 specification, as some community packages still ship. */
export function v2Model(parts: LanguageModelV2StreamPart[]): LanguageModelV2 {
  return {
    specificationVersion: 'v2',
    provider: 'legacy.chat',
    modelId: 'legacy-model',
    supportedUrls: {},
    doGenerate: async () => ({
      content: [
        { type: 'reasoning', text: 'hidden' },
        { type: 'text', text: 'Hello ' },
        { type: 'text', text: 'there.' },
        { type: 'tool-call', toolCallId: 't1', toolName: 'get_weather', input: '{"city":"Lima"}' },
        { type: 'tool-call', toolCallId: 't2', toolName: 'web_search', input: '{}', providerExecuted: true },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 4 },
      warnings: [],
    }),
    doStream: async () => ({
      stream: new ReadableStream({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      }),
    }),
  };
}
