import { ConfigError, defineProvider, MissingCredentialsError, type ProviderContext } from '@reg/core';
import { BedrockChatModel, type BedrockModelSettings } from './bedrock-chat-model.js';
import { parseBedrockOptions, type BedrockOptions } from './bedrock-options.js';
import { BEDROCK_FILE_TYPES } from './convert-to-bedrock-messages.js';

export const PROVIDER_NAME = 'aws-bedrock';

/**
 * `aws-bedrock`: Bedrock Runtime's Converse and ConverseStream APIs, on the official AWS SDK.
 * Credentials: explicit keys, else `profile`, else the registry's environment
 * (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, `AWS_PROFILE`), else, when
 * the registry reads the process environment, the AWS SDK's default credential chain.
 */
export const awsBedrock = defineProvider<BedrockOptions>({
  name: PROVIDER_NAME,
  // Profiles read the shared AWS files, and the SDK's chain reads instance metadata, SSO, ...
  credentials: 'ambient',
  // No guardsConnections: the SDK's HTTP/2 handler resolves host names itself.
  endpointOptions: ['endpoint_url'],
  // Documents only: Converse names no model that takes its audio block (see the README).
  capabilities: { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: BEDROCK_FILE_TYPES },
  parseOptions: parseBedrockOptions,
  createModel(options, context) {
    return new BedrockChatModel(resolveSettings(options, context));
  },
});

function resolveSettings(options: BedrockOptions, context: ProviderContext): BedrockModelSettings {
  const { env } = context;
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ConfigError([
      {
        path: `${context.path}.region`,
        message: `is required for client '${context.client}' (${PROVIDER_NAME}): set options.region (e.g. us-east-1) or the AWS_REGION (or AWS_DEFAULT_REGION) environment variable`,
      },
    ]);
  }
  // AWS's standard endpoint variables, read from the registry's environment like the region.
  const endpoint = options.endpointUrl ?? env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME ?? env.AWS_ENDPOINT_URL;
  const settings: BedrockModelSettings = {
    options,
    region,
    endpoint,
    connectTimeoutMs: context.http.connectTimeoutMs,
    profile: undefined,
    credentials: undefined,
    secrets: [],
  };

  if (options.accessKeyId && options.secretAccessKey) {
    return withKeys(settings, { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, sessionToken: options.sessionToken });
  }
  if (options.profile) return { ...settings, profile: options.profile };
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return withKeys(settings, { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN });
  }
  if (env.AWS_PROFILE) return { ...settings, profile: env.AWS_PROFILE };
  // The SDK's chain reads the process's environment, files and instance metadata; a registry
  // given an environment of its own (a gateway request's, say) must not borrow the process's keys.
  if (env !== process.env) {
    throw new MissingCredentialsError({
      client: context.client,
      provider: PROVIDER_NAME,
      option: 'access_key_id (with secret_access_key) or options.profile',
      envVariable: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)',
      model: options.model,
    });
  }
  return settings;
}

function withKeys(settings: BedrockModelSettings, keys: { accessKeyId: string; secretAccessKey: string; sessionToken: string | undefined }): BedrockModelSettings {
  const { accessKeyId, secretAccessKey, sessionToken } = keys;
  return {
    ...settings,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    secrets: [secretAccessKey, ...(sessionToken ? [sessionToken] : [])],
  };
}
