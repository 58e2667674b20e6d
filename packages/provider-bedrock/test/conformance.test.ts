import { TEST_CREDENTIALS, testProvider } from '@reg/testkit';
import { awsBedrock } from '../src/index.js';

await testProvider({
  provider: awsBedrock,
  vendor: 'bedrock',
  options: ({ baseUrls, model }) => ({
    model,
    region: 'us-east-1',
    endpoint_url: baseUrls.bedrock,
    access_key_id: TEST_CREDENTIALS.aws.accessKeyId,
    secret_access_key: TEST_CREDENTIALS.aws.secretAccessKey,
  }),
});
