import type { ProviderContext } from '@reg/core';
import type { OptionReader } from '@reg/provider-utils';
import type { OpenAIConnectionOptions, OpenAIEndpoint } from './openai-options.js';

/** Returns a Microsoft Entra ID access token (scope `https://cognitiveservices.azure.com/.default`). */
export type AzureTokenProvider = () => Promise<string>;

/** Azure's own credential option. */
export interface AzureAuthOptions {
  tokenProvider?: AzureTokenProvider;
}

/** A resource name becomes the host `<resource_name>.openai.azure.com`: a `/`, `@` or `#` would move the host. */
const RESOURCE_NAME = /^[A-Za-z0-9-]+$/;

/**
 * Where an Azure client's requests go, in both of Azure's URL forms: a deployment
 * (`resource_name` + `deployment_id` + `api_version`, as BAML has it; `AZURE_OPENAI_ENDPOINT`
 * names the resource when neither form is given) or a `base_url`, such as the version-less
 * `https://<resource>.openai.azure.com/openai/v1`. `model` defaults to the deployment.
 */
export function readAzureEndpoint(reader: OptionReader, context: ProviderContext): OpenAIEndpoint {
  const model = reader.string('model');
  const resourceName = reader.string('resource_name');
  const deploymentId = reader.string('deployment_id');
  const baseUrlOption = reader.string('base_url', { url: true });
  const apiVersion = reader.string('api_version') ?? context.env.OPENAI_API_VERSION;
  if (resourceName !== undefined && !RESOURCE_NAME.test(resourceName)) {
    reader.fail('resource_name', 'must be letters, digits and dashes');
    return { model: model ?? '' };
  }
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
  return { model: modelName ?? '', baseUrl, query: apiVersion ? { 'api-version': apiVersion } : undefined };
}

/** `azure_ad_token_provider`, the alternative to `api_key`. */
export function readAzureAuthOptions(reader: OptionReader, _context: ProviderContext, connection: Readonly<OpenAIConnectionOptions<undefined>>): AzureAuthOptions {
  const tokenProvider = reader.callable<AzureTokenProvider>('azure_ad_token_provider', 'a function returning a Promise of an Entra ID token');
  if (connection.apiKey && tokenProvider) reader.fail('azure_ad_token_provider', 'cannot be combined with api_key: give one of them');
  return { tokenProvider };
}

/** The deployment a `.../openai/deployments/<name>` base URL addresses. */
function deploymentInUrl(baseUrl: string): string | undefined {
  const match = /\/deployments\/([^/]+)/.exec(new URL(baseUrl).pathname);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/** Azure's `/openai/v1` API takes no `api-version`. */
function isVersionlessApi(baseUrl: string): boolean {
  return /\/openai\/v1\/?$/.test(new URL(baseUrl).pathname);
}
