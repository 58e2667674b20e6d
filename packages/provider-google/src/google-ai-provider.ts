import { GoogleGenAI } from '@google/genai';
import { MissingCredentialsError, defineProvider, type ChatModel, type ProviderContext } from '@reg/core';
import { GoogleChatModel } from './google-chat-model.js';
import { parseGoogleAiOptions, type GoogleAiOptions } from './google-options.js';
import { GoogleTransport } from './google-transport.js';

const PROVIDER_NAME = 'google-ai';
/** The Gemini API version BAML and Google's REST docs use; `v1` lacks newer fields. */
const DEFAULT_API_VERSION = 'v1beta';

/** The Gemini API (generativelanguage.googleapis.com) with an API key. */
export const googleAi = defineProvider<GoogleAiOptions>({
  name: PROVIDER_NAME,
  parseOptions: parseGoogleAiOptions,
  guardsConnections: true,
  createModel(options: GoogleAiOptions, context: ProviderContext): ChatModel {
    const apiKey = options.apiKey ?? context.env.GOOGLE_API_KEY ?? context.env.GEMINI_API_KEY;
    if (!apiKey) {
      throw new MissingCredentialsError({
        client: context.client,
        provider: PROVIDER_NAME,
        model: options.model,
        option: 'api_key',
        envVariable: 'GOOGLE_API_KEY (or GEMINI_API_KEY)',
      });
    }
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
      },
    });
    return new GoogleChatModel({
      provider: PROVIDER_NAME,
      client,
      transport: new GoogleTransport({ queryParams: options.queryParams, guard: context.connectionGuard }),
      options,
    });
  },
});
