import { conformanceVendors, testProvider } from '@reg/testkit';
import { aiSdk } from '../src/index.js';
import { clientOptions } from './emulated-client.js';

await testProvider({
  provider: aiSdk,
  // OpenAI's Chat Completions, as it reaches reg through @ai-sdk/openai-compatible 3.0.92: the package
  // reads cached and reasoning tokens but not `prompt_tokens_details.cache_write_tokens` (its usage
  // has `cacheWrite: undefined`), so cache writes stay inside inputTokens without a part of their own.
  vendor: { ...conformanceVendors.openai, usage: { cacheWrites: false, reasoning: true } },
  // supportsStructuredOutputs: @ai-sdk/openai-compatible sends a JSON schema only when told the server takes one.
  options: (target) => clientOptions(target, target.model, { factory: 'createOpenAICompatible', settings: { supportsStructuredOutputs: true } }),
});
