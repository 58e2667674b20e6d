import { TEST_CREDENTIALS, testProvider } from '@reg/testkit';
import { openaiResponses } from '../src/index.js';

await testProvider({
  provider: openaiResponses,
  vendor: 'openai',
  options: ({ baseUrls, model }) => ({ model, base_url: baseUrls.openai, api_key: TEST_CREDENTIALS.openai }),
});
