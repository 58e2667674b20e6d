import { TEST_CREDENTIALS, type VendorBaseUrls } from '@reg/testkit';

/** Client options that load @ai-sdk/openai-compatible and point it at an emulator's OpenAI API. */
export function clientOptions(target: { baseUrls: VendorBaseUrls }, model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { settings, ...rest } = extra;
  return {
    package: '@ai-sdk/openai-compatible',
    model,
    // includeUsage asks for usage in streams (stream_options.include_usage).
    settings: { name: 'emulated', baseURL: target.baseUrls.openai, apiKey: TEST_CREDENTIALS.openai, includeUsage: true, ...(settings as object) },
    ...rest,
  };
}
