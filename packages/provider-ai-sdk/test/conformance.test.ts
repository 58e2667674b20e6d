import { testProvider } from '@reg/testkit';
import { aiSdk } from '../src/index.js';
import { clientOptions } from './emulated-client.js';

await testProvider({
  provider: aiSdk,
  vendor: 'openai',
  // supportsStructuredOutputs: @ai-sdk/openai-compatible sends a JSON schema only when told the server takes one.
  options: (target) => clientOptions(target, target.model, { factory: 'createOpenAICompatible', settings: { supportsStructuredOutputs: true } }),
});
