import { testProvider, TEST_CREDENTIALS } from '@reg/testkit';
import { echo } from '../src/index.js';

// Every check of the suite, none skipped: this is what a third-party provider is held to.
await testProvider({
  provider: echo,
  vendor: 'openai',
  options: ({ baseUrls, model }) => ({ model, base_url: baseUrls.openai, api_key: TEST_CREDENTIALS.openai }),
});
