// Every check of the suite, none skipped, against the Echo API's own routes on the emulator: what a
// provider for any vendor is held to. The capabilities `echo` declares turn on the tool, stream,
// image and JSON-schema checks.
import { testProvider } from '@reg/testkit';
import { echo } from '../src/index.js';
import { ECHO_TEST_KEY, echoConformanceVendor } from '../src/testing/index.js';

await testProvider({
  provider: echo,
  vendor: echoConformanceVendor,
  options: ({ baseUrl, model }) => ({ model, base_url: baseUrl, api_key: ECHO_TEST_KEY }),
});
