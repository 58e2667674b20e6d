import { TEST_CREDENTIALS, testProvider } from '@reg/testkit';
import { azureOpenAI, openai, openaiGeneric, openrouter } from '../src/index.js';

await testProvider({
  provider: openai,
  vendor: 'openai',
  options: ({ baseUrls, model }) => ({ model, base_url: baseUrls.openai, api_key: TEST_CREDENTIALS.openai }),
});

// Any OpenAI-compatible server: here OpenAI's own wire format at a base URL the options must give.
await testProvider({
  provider: openaiGeneric,
  vendor: 'openai',
  options: ({ baseUrls, model }) => ({ model, base_url: baseUrls.openai, api_key: TEST_CREDENTIALS.openai }),
});

await testProvider({
  provider: azureOpenAI,
  vendor: 'azure',
  options: ({ baseUrls, model }) => ({ base_url: `${baseUrls.azure}/openai/deployments/${model}`, api_version: '2024-10-21', api_key: TEST_CREDENTIALS.azure }),
});

await testProvider({
  provider: openrouter,
  vendor: 'openrouter',
  options: ({ baseUrls, model }) => ({ model, base_url: baseUrls.openrouter, api_key: TEST_CREDENTIALS.openrouter }),
});
