import { ConfigError, defineProvider, RegError } from '@reg/core';
import { AiSdkChatModel, type ModelSource } from './ai-sdk-chat-model.js';
import { parseAiSdkOptions, PROVIDER_NAME, shorthandAiSdkOptions, type AiSdkOptions } from './ai-sdk-options.js';
import { loadAiSdkProvider, resolveAiSdkPackage } from './load-ai-sdk-package.js';

/**
 * The `ai-sdk` provider: any Vercel AI SDK provider package (`@ai-sdk/mistral`, community
 * providers, `@ai-sdk/openai-compatible`, ...) or provider instance as a reg client.
 */
export const aiSdk = defineProvider<AiSdkOptions>({
  name: PROVIDER_NAME,
  // `model` may be a language model object in code, which core's own check would refuse.
  requiresModel: false,
  parseOptions: parseAiSdkOptions,
  shorthandOptions: shorthandAiSdkOptions,
  createModel(options, context) {
    return new AiSdkChatModel({ options, source: modelSource(options, context.path), path: context.path });
  },
});

function modelSource(options: AiSdkOptions, path: string): ModelSource {
  if (typeof options.model !== 'string') return { kind: 'model', model: options.model };
  if (options.provider) return { kind: 'provider', provider: options.provider };
  const packageName = options.package!;
  // Resolved now, so a missing package fails when the client is built; imported on first call.
  const entry = resolveAiSdkPackage(packageName, { path });
  return {
    kind: 'package',
    load: async (extraSettings = {}) => {
      try {
        const settings = { ...options.settings, ...extraSettings };
        return await loadAiSdkProvider({ packageName, entry, factory: options.factory, settings, context: { path } });
      } catch (error) {
        if (RegError.isInstance(error)) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new ConfigError([{ path: `${path}.settings`, message: `'${packageName}' could not build its provider: ${reason}` }]);
      }
    },
  };
}
