import { defineProvider, RegError, type ChatRequest, type ModelResult, type Usage } from '@reg/core';

const PROVIDER_NAME = 'instant';
const usage: Usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2 };

/** An in-process provider (core's plugin contract) that answers at once, naming its model. */
export const instant = defineProvider<{ model: string }>({
  name: PROVIDER_NAME,
  parseOptions(raw, context) {
    if (typeof raw.model !== 'string') throw new RegError({ code: 'config', message: `${context.path}.model must be a string` });
    return { model: raw.model };
  },
  createModel(options) {
    const text = `reply from ${options.model}`;
    return {
      provider: PROVIDER_NAME,
      model: options.model,
      async doGenerate(): Promise<ModelResult> {
        return { content: [{ type: 'text', text }], finishReason: 'stop', usage };
      },
      async *doStream() {
        yield { type: 'text-delta', text };
        yield { type: 'finish', finishReason: 'stop', usage };
      },
    };
  },
});

export const user = (text: string): ChatRequest => ({ messages: [{ role: 'user', content: text }] });
