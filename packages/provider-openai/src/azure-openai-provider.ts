import { defineProvider, MissingCredentialsError } from '@reg/core';
import { OpenAIChatModel } from './openai-chat-model.js';
import { readChatSettings, type ChatSettings } from './openai-chat-settings.js';
import { createOpenAIClient, OptionReader, type OpenAIAuth } from './openai-options.js';

const PROVIDER_NAME = 'azure-openai';
const AZURE_API_KEY_ENV = 'AZURE_OPENAI_API_KEY';

/** Returns a Microsoft Entra ID access token (scope `https://cognitiveservices.azure.com/.default`). */
export type AzureTokenProvider = () => Promise<string>;

export interface AzureOpenAIOptions {
  /** The URL the SDK's paths (`/chat/completions`) are appended to. */
  baseUrl: string;
  /** `api-version` query parameter; not needed by the `/openai/v1` API. */
  apiVersion?: string;
  /** The `model` body field, and the model name reg reports. */
  model: string;
  apiKey?: string;
  tokenProvider?: AzureTokenProvider;
  headers?: Record<string, string>;
  queryParams?: Record<string, string>;
  settings: ChatSettings;
}

/**
 * Azure OpenAI Chat Completions, in both of Azure's URL forms: a deployment
 * (`resource_name` + `deployment_id` + `api_version`, as BAML has it) or a `base_url`, such as the
 * version-less `https://<resource>.openai.azure.com/openai/v1`. Authenticates with the `api-key`
 * header or with a Microsoft Entra ID token provider.
 */
export const azureOpenAI = defineProvider<AzureOpenAIOptions>({
  guardsConnections: true,
  name: PROVIDER_NAME,
  // A deployment names the model.
  requiresModel: false,
  parseOptions(raw, context) {
    const reader = new OptionReader(raw, context.path);
    const model = reader.string('model');
    const resourceName = reader.string('resource_name');
    const deploymentId = reader.string('deployment_id');
    const baseUrlOption = reader.string('base_url', { url: true });
    const apiVersion = reader.string('api_version') ?? context.env.OPENAI_API_VERSION;
    const apiKey = reader.string('api_key');
    const tokenProvider = reader.callable<AzureTokenProvider>('azure_ad_token_provider', 'a function returning a Promise of an Entra ID token');
    const headers = reader.stringMap('headers', 'header names');
    const queryParams = reader.stringMap('query_params', 'query parameter names');
    const settings = readChatSettings(reader);

    if (apiKey && tokenProvider) reader.fail('azure_ad_token_provider', 'cannot be combined with api_key: give one of them');
    // Without either form, the SDK's AZURE_OPENAI_ENDPOINT convention names the resource.
    const endpoint = resourceName ? `https://${resourceName}.openai.azure.com` : context.env.AZURE_OPENAI_ENDPOINT?.replace(/\/+$/, '');
    const deployment = deploymentId ?? (baseUrlOption ? deploymentInUrl(baseUrlOption) : model);
    let baseUrl = baseUrlOption;
    if (!baseUrl) {
      if (!endpoint) reader.fail('resource_name', 'is required (with deployment_id and api_version) unless base_url is given');
      else if (!deployment) reader.fail('deployment_id', 'is required with resource_name');
      else baseUrl = `${endpoint}/openai/deployments/${encodeURIComponent(deployment)}`;
    } else if (resourceName) {
      reader.fail('base_url', 'cannot be combined with resource_name: give one of them');
    }
    if (baseUrl && !apiVersion && !isVersionlessApi(baseUrl)) {
      reader.fail('api_version', "is required for Azure deployment URLs (e.g. '2024-10-21'); the /openai/v1 API needs none");
    }
    const modelName = model ?? deployment;
    if (!modelName) reader.fail('model', 'is required with a base_url (the deployment or model name to send)');
    reader.done();
    return {
      baseUrl: baseUrl ?? '',
      apiVersion,
      model: modelName ?? '',
      apiKey,
      tokenProvider,
      headers,
      queryParams,
      settings,
    };
  },
  createModel(options, context) {
    let auth: OpenAIAuth;
    if (options.tokenProvider) auth = { type: 'token-provider', getToken: options.tokenProvider };
    else {
      const apiKey = options.apiKey ?? context.env[AZURE_API_KEY_ENV];
      if (!apiKey) {
        throw new MissingCredentialsError({
          client: context.client,
          provider: PROVIDER_NAME,
          model: options.model,
          option: 'api_key (or azure_ad_token_provider)',
          envVariable: AZURE_API_KEY_ENV,
        });
      }
      auth = { type: 'api-key', apiKey };
    }
    const query = { ...options.queryParams };
    if (options.apiVersion) query['api-version'] = options.apiVersion;
    const client = createOpenAIClient({
      baseUrl: options.baseUrl,
      auth,
      headers: options.headers,
      query: Object.keys(query).length ? query : undefined,
    });
    return new OpenAIChatModel({
      guard: context.connectionGuard,
      client,
      provider: PROVIDER_NAME,
      model: options.model,
      settings: options.settings,
      // Azure API versions before 2024-09-01 know only max_tokens.
      maxTokensField: 'max_tokens',
      streamUsage: true,
    });
  },
});

/** The deployment a `.../openai/deployments/<name>` base URL addresses. */
function deploymentInUrl(baseUrl: string): string | undefined {
  const match = /\/deployments\/([^/]+)/.exec(new URL(baseUrl).pathname);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/** Azure's `/openai/v1` API takes no `api-version`. */
function isVersionlessApi(baseUrl: string): boolean {
  return /\/openai\/v1\/?$/.test(new URL(baseUrl).pathname);
}
