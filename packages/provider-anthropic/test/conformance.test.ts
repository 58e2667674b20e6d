import { TEST_CREDENTIALS, testProvider } from '@reg/testkit';
import { anthropic } from '../src/index.js';

await testProvider({
  provider: anthropic,
  vendor: 'anthropic',
  options: ({ baseUrls, model }) => ({ model, base_url: baseUrls.anthropic, api_key: TEST_CREDENTIALS.anthropic }),
});
