import { TEST_CREDENTIALS, testProvider } from '@reg/testkit';
import { aiSdk } from '../src/index.js';

await testProvider({
  provider: aiSdk,
  vendor: 'openai',
  options: ({ baseUrls, model }) => ({
    package: '@ai-sdk/openai-compatible',
    factory: 'createOpenAICompatible',
    model,
    // includeUsage asks for usage in streams (stream_options.include_usage).
    settings: { name: 'emulated', baseURL: baseUrls.openai, apiKey: TEST_CREDENTIALS.openai, includeUsage: true },
  }),
});
