import type { ProviderContext } from '@reg/core';
import { loadApiKey } from '@reg/provider-utils';
import { readAzureAuthOptions, readAzureEndpoint, type AzureAuthOptions } from './azure-openai-options.js';
import type { OpenAIAuth } from './openai-transport.js';
import { defineOpenAICompatibleProvider, type OpenAICompatibleOptions } from './openai-compatible-provider.js';
import { OPENAI_CHAT_FILE_TYPES, OPENAI_MAX_FILE_BYTES } from './openai-file-input.js';
import type { OpenAIConnectionOptions } from './openai-options.js';

const PROVIDER_NAME = 'azure-openai';

export type AzureOpenAIOptions = OpenAICompatibleOptions<AzureAuthOptions>;

/**
 * Azure OpenAI Chat Completions, at a deployment (`resource_name` + `deployment_id` +
 * `api_version`) or a `base_url` (see readAzureEndpoint). Authenticates with the `api-key` header
 * or with a Microsoft Entra ID token provider.
 */
export const azureOpenAI = defineOpenAICompatibleProvider<AzureAuthOptions>({
  name: PROVIDER_NAME,
  readEndpoint: readAzureEndpoint,
  readOptions: readAzureAuthOptions,
  auth: azureAuth,
  // Azure API versions before 2024-09-01 know only max_tokens.
  maxTokensField: 'max_tokens',
  // Azure serves OpenAI's models and their Chat Completions file parts, with OpenAI's limits.
  capabilities: { fileTypes: OPENAI_CHAT_FILE_TYPES },
  files: { urls: false, maxBytes: OPENAI_MAX_FILE_BYTES },
});

/** An Entra ID token asked per request, else the key as the `api-key` header (never a bearer token). */
function azureAuth(connection: OpenAIConnectionOptions<AzureAuthOptions>, context: ProviderContext): OpenAIAuth {
  if (connection.own.tokenProvider) return { type: 'token-provider', getToken: connection.own.tokenProvider };
  const apiKey = loadApiKey({
    apiKey: connection.apiKey,
    environmentVariable: 'AZURE_OPENAI_API_KEY',
    context,
    provider: PROVIDER_NAME,
    model: connection.model,
    option: 'api_key (or azure_ad_token_provider)',
  });
  return { type: 'api-key', apiKey };
}
