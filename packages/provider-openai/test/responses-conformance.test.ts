import { TEST_CREDENTIALS, testProvider } from '@reg/testkit';
import { openaiResponses } from '../src/responses/openai-responses-provider.js';

await testProvider({
  provider: openaiResponses,
  vendor: 'openai',
  options: ({ baseUrls, model }) => ({ model, base_url: baseUrls.openai, api_key: TEST_CREDENTIALS.openai }),
});
