import { ConfigError, defineProvider, RegError, type ProviderContext } from '@reg/core';
import { AiSdkChatModel, type ModelSource } from './ai-sdk-chat-model.js';
import { parseAiSdkOptions, shorthandAiSdkOptions, type AiSdkOptions } from './ai-sdk-options.js';
import { connectTimeoutFetch } from './ai-sdk-transport.js';
import { loadAiSdkProvider, resolveAiSdkPackage } from './load-ai-sdk-package.js';

export const PROVIDER_NAME = 'ai-sdk';

/**
 * The `ai-sdk` provider: any Vercel AI SDK provider package (`@ai-sdk/mistral`, community
 * providers, `@ai-sdk/openai-compatible`, ...) or provider instance as a reg client.
 */
export const aiSdk = defineProvider<AiSdkOptions>({
  name: PROVIDER_NAME,
  // AI SDK packages read their keys from process.env themselves (MISTRAL_API_KEY, ...).
  credentials: 'ambient',
  endpointOptions: ['base_url'],
  // What reg hands the language model; whether the vendor behind it honours each is the package's part.
  // Files: any media type, as the AI SDK's file part takes; the package refuses what its vendor cannot
  // take with its own error (UnsupportedFunctionalityError -> invalid_request) before any request.
  capabilities: { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: ['*/*'] },
  // `model` may be a language model object in code, which core's own check would refuse.
  requiresModel: false,
  parseOptions: parseAiSdkOptions,
  shorthandOptions: shorthandAiSdkOptions,
  createModel(options, context) {
    return new AiSdkChatModel({ provider: PROVIDER_NAME, options, source: modelSource(options, context), path: context.path });
  },
});

function modelSource(options: AiSdkOptions, context: ProviderContext): ModelSource {
  if (typeof options.model !== 'string') return { kind: 'model', model: options.model };
  if (options.provider) return { kind: 'provider', provider: options.provider };
  const { path } = context;
  const packageName = options.package!;
  // Resolved now, so a missing package fails when the client is built; imported on first call.
  const entry = resolveAiSdkPackage(packageName, { path });
  const { connectTimeoutMs } = context.http;
  // Only a package's provider is built here, so only it takes reg's transport; a fetch of the app's own stays.
  const settings =
    connectTimeoutMs !== undefined && options.settings.fetch === undefined ? { ...options.settings, fetch: connectTimeoutFetch(connectTimeoutMs) } : options.settings;
  return {
    kind: 'package',
    packageName,
    load: async () => {
      try {
        return await loadAiSdkProvider({ packageName, entry, factory: options.factory, settings, context: { path } });
      } catch (error) {
        if (RegError.isInstance(error)) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new ConfigError([{ path: `${path}.settings`, message: `'${packageName}' could not build its provider: ${reason}` }]);
      }
    },
  };
}
