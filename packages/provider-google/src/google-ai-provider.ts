import { GoogleGenAI } from '@google/genai';
import { defineProvider, type ChatModel, type ProviderContext } from '@reg/core';
import { loadApiKey } from '@reg/provider-utils';
import { GoogleChatModel } from './google-chat-model.js';
import { GEMINI_API_FILES } from './google-file-rules.js';
import { parseGoogleAiOptions, type GoogleAiOptions } from './google-options.js';
import { createGoogleFetch } from './google-transport.js';
import { GOOGLE_AI_ADVICE } from './map-google-error.js';

const PROVIDER_NAME = 'google-ai';
/** The Gemini API version BAML and Google's REST docs use; `v1` lacks newer fields. */
const DEFAULT_API_VERSION = 'v1beta';

/** The Gemini API (generativelanguage.googleapis.com) with an API key. */
export const googleAi = defineProvider<GoogleAiOptions>({
  name: PROVIDER_NAME,
  // The key comes only from api_key or the registry's env (GOOGLE_API_KEY, GEMINI_API_KEY).
  credentials: 'explicit',
  guardsConnections: true,
  endpointOptions: ['base_url'],
  capabilities: { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: GEMINI_API_FILES.fileTypes },
  parseOptions: parseGoogleAiOptions,
  createModel(options: GoogleAiOptions, context: ProviderContext): ChatModel {
    const apiKey = loadApiKey({
      apiKey: options.apiKey,
      environmentVariable: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
      context,
      provider: PROVIDER_NAME,
      model: options.model,
    });
    // The SDK's own variable, read from the registry's env rather than by the SDK from process.env.
    const baseUrl = options.baseUrl ?? context.env.GOOGLE_GEMINI_BASE_URL;
    const client = new GoogleGenAI({
      // Explicit, so the SDK never switches to Vertex AI from its own environment variables.
      vertexai: false,
      apiKey,
      apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
      // No retryOptions: the SDK then makes exactly one attempt; the registry owns retries.
      httpOptions: {
        ...(baseUrl ? { baseUrl } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        fetch: createGoogleFetch({ connectTimeoutMs: context.http.connectTimeoutMs, queryParams: options.queryParams, guard: context.connectionGuard }),
      },
    });
    return new GoogleChatModel({ provider: PROVIDER_NAME, client, options, files: GEMINI_API_FILES, advice: GOOGLE_AI_ADVICE });
  },
});
