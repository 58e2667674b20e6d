import { GoogleGenAI, type GoogleGenAIOptions } from '@google/genai';
import { MissingCredentialsError, defineProvider, type ChatModel, type ProviderContext } from '@reg/core';
import { OAuth2Client } from 'google-auth-library';
import { GoogleChatModel } from './google-chat-model.js';
import { VERTEX_AI_FILES } from './google-file-rules.js';
import { parseVertexAiOptions, type SdkGoogleAuthOptions, type VertexAiOptions } from './google-options.js';
import { createGoogleFetch } from './google-transport.js';
import { VERTEX_AI_ADVICE } from './map-google-error.js';

const PROVIDER_NAME = 'vertex-ai';
const DEFAULT_LOCATION = 'us-central1';
/** BAML's Vertex AI version; the SDK's own default is v1beta1. */
const DEFAULT_API_VERSION = 'v1';
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * Vertex AI, authenticated in the order BAML uses: an explicit access token, a service-account
 * key (`credentials`), an API key (`query_params.key`, express mode), then Application Default
 * Credentials (GOOGLE_APPLICATION_CREDENTIALS from the registry's env, or google-auth-library's own search).
 */
export const vertexAi = defineProvider<VertexAiOptions>({
  name: PROVIDER_NAME,
  // Application Default Credentials: google-auth-library also searches gcloud's files and the metadata server.
  credentials: 'ambient',
  // No guardsConnections: google-auth-library's token requests do not go through the guard.
  endpointOptions: ['base_url'],
  capabilities: { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: VERTEX_AI_FILES.fileTypes },
  parseOptions: parseVertexAiOptions,
  createModel(options: VertexAiOptions, context: ProviderContext): ChatModel {
    const auth = vertexAuth(options, context);
    const project = options.projectId ?? context.env.GOOGLE_CLOUD_PROJECT ?? auth.keyProject;
    const location = options.location ?? context.env.GOOGLE_CLOUD_LOCATION ?? DEFAULT_LOCATION;
    if (!project && !auth.apiKey) {
      throw new MissingCredentialsError({
        client: context.client,
        provider: PROVIDER_NAME,
        model: options.model,
        option: 'project_id',
        envVariable: 'GOOGLE_CLOUD_PROJECT',
      });
    }
    // The SDK's own variable, read from the registry's env rather than by the SDK from process.env.
    const baseUrl = options.baseUrl ?? context.env.GOOGLE_VERTEX_BASE_URL;
    const sdkOptions: GoogleGenAIOptions = {
      vertexai: true,
      apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
      // No retryOptions: the SDK then makes exactly one attempt; the registry owns retries.
      httpOptions: {
        ...(baseUrl ? { baseUrl } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        fetch: createGoogleFetch({ connectTimeoutMs: context.http.connectTimeoutMs, queryParams: options.queryParams }),
      },
    };
    if (project) {
      sdkOptions.project = project;
      sdkOptions.location = location;
    }
    if (auth.apiKey) sdkOptions.apiKey = auth.apiKey;
    else sdkOptions.googleAuthOptions = auth.googleAuthOptions;
    // Built once per model: google-auth-library caches its token inside this client.
    const client = new GoogleGenAI(sdkOptions);
    return new GoogleChatModel({ provider: PROVIDER_NAME, client, options, files: VERTEX_AI_FILES, advice: VERTEX_AI_ADVICE });
  },
});

interface VertexAuth {
  apiKey?: string;
  googleAuthOptions?: SdkGoogleAuthOptions;
  /** The key file's project, when the key was given inline. */
  keyProject?: string;
}

function vertexAuth(options: VertexAiOptions, context: ProviderContext): VertexAuth {
  const extra = options.googleAuthOptions ?? {};
  const withScope = (authOptions: SdkGoogleAuthOptions): SdkGoogleAuthOptions => ({ scopes: [CLOUD_PLATFORM_SCOPE], ...extra, ...authOptions });
  if (options.accessToken) {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: options.accessToken });
    // @google/genai bundles its own google-auth-library major; it only calls getRequestHeaders.
    return { googleAuthOptions: withScope({ authClient: authClient as unknown as SdkGoogleAuthOptions['authClient'] }) };
  }
  if (options.credentials !== undefined) {
    if (typeof options.credentials === 'string') return { googleAuthOptions: withScope({ keyFilename: options.credentials }) };
    const projectId = options.credentials.project_id;
    return {
      googleAuthOptions: withScope({ credentials: options.credentials }),
      keyProject: typeof projectId === 'string' ? projectId : undefined,
    };
  }
  if (options.apiKey) return { apiKey: options.apiKey };
  const keyFile = context.env.GOOGLE_APPLICATION_CREDENTIALS;
  return { googleAuthOptions: withScope(keyFile ? { keyFilename: keyFile } : {}) };
}
