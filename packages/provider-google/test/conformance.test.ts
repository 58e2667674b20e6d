import { TEST_CREDENTIALS, createServiceAccountKey, emulatorTokenFetch, testProvider } from '@reg/testkit';
import { googleAi, vertexAi } from '../src/index.js';

await testProvider({
  provider: googleAi,
  vendor: 'gemini',
  options: ({ baseUrls, model }) => ({ model, base_url: baseUrls.gemini, api_key: TEST_CREDENTIALS.gemini }),
});

await testProvider({
  provider: vertexAi,
  vendor: 'vertex',
  title: 'conformance: vertex-ai against vertex (service-account key, OAuth token)',
  options: async ({ baseUrls, model, emulator }) => ({
    model,
    base_url: baseUrls.vertex,
    project_id: 'reg-conformance',
    location: 'us-central1',
    credentials: (await createServiceAccountKey()).path,
    // google-auth-library posts to Google's token URL whatever the key says; send it to the emulator.
    google_auth_options: { clientOptions: { transporterOptions: { fetchImplementation: emulatorTokenFetch(emulator.url) } } },
  }),
});

await testProvider({
  provider: vertexAi,
  vendor: 'vertex',
  title: 'conformance: vertex-ai against vertex (query_params.key)',
  options: ({ baseUrls, model }) => ({
    model,
    base_url: baseUrls.vertex,
    project_id: 'reg-conformance',
    location: 'us-central1',
    query_params: { key: TEST_CREDENTIALS.vertexApiKey },
  }),
});
