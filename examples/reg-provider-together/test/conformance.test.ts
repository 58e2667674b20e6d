import { testProvider, TEST_CREDENTIALS } from '@reg/testkit';
import { together } from '../src/index.js';

// Every check of the suite, none skipped, against the emulator's OpenAI API: Together speaks its
// wire format. The key comes from TOGETHER_API_KEY in the registry's environment.
await testProvider({
  provider: together,
  vendor: 'openai',
  options: ({ baseUrls, model }) => ({ model, base_url: baseUrls.openai }),
  env: { TOGETHER_API_KEY: TEST_CREDENTIALS.openai },
});
