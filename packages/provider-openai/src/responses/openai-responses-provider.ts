import { defineProvider } from '@reg/core';
import { createOpenAIClient, OPENAI_API_KEY_ENV, OPENAI_BASE_URL, resolveApiKey } from '../openai-options.js';
import { OpenAIResponsesModel } from './responses-model.js';
import { parseResponsesOptions, type OpenAIResponsesOptions } from './responses-options.js';

const PROVIDER_NAME = 'openai-responses';

/** OpenAI's Responses API (`POST /v1/responses`), with the `openai` provider's credentials. */
export const openaiResponses = defineProvider<OpenAIResponsesOptions>({
  guardsConnections: true,
  name: PROVIDER_NAME,
  parseOptions: parseResponsesOptions,
  createModel(options, context) {
    const { connection } = options;
    const apiKey = resolveApiKey({
      apiKey: connection.apiKey,
      envVariable: OPENAI_API_KEY_ENV,
      provider: PROVIDER_NAME,
      model: connection.model,
      context,
    });
    const client = createOpenAIClient({
      // As the official SDK does, OPENAI_BASE_URL (from the registry's environment) moves the default.
      baseUrl: connection.baseUrl ?? context.env.OPENAI_BASE_URL ?? OPENAI_BASE_URL,
      auth: { type: 'bearer', apiKey },
      // As the `openai` provider does: the registry's environment, not process.env behind its back.
      organization: connection.organization ?? context.env.OPENAI_ORG_ID,
      project: connection.project ?? context.env.OPENAI_PROJECT_ID,
      headers: connection.headers,
      query: options.queryParams,
    });
    return new OpenAIResponsesModel({ provider: PROVIDER_NAME, model: connection.model, client, defaults: options.body, guard: context.connectionGuard });
  },
});

export type { OpenAIResponsesOptions } from './responses-options.js';
