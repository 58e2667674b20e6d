/**
 * The credentials the emulators accept. Anything else (or nothing) gets the vendor's own 401/403.
 * They are test values, valid only against the emulator.
 */
export const TEST_CREDENTIALS = {
  openai: 'sk-test-openai-0000',
  azure: 'test-azure-key-0000',
  openrouter: 'sk-or-test-0000',
  anthropic: 'sk-ant-test-0000',
  gemini: 'test-gemini-key-0000',
  /** The Vertex AI API-key form (`key=` query parameter). */
  vertexApiKey: 'test-vertex-key-0000',
  aws: {
    accessKeyId: 'AKIAEMULATOR0000TEST',
    secretAccessKey: 'emulator0secret0key0for0reg0testkit00000',
  },
} as const;
