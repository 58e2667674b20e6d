import { defineProvider } from '@reg/core';
import { createOpenAIClient } from './openai-transport.js';
import { OPENAI_CONNECTION, type OpenAIAccountOptions, type OpenAIConnectionSettings } from './openai-options.js';
import { OpenAIResponsesChatModel } from './openai-responses-chat-model.js';
import { parseOpenAIResponsesOptions, type OpenAIResponsesOptions } from './openai-responses-options.js';

const PROVIDER_NAME = 'openai-responses';

/** The `openai` provider's connection: its URL, key variable, organization and project. */
const CONNECTION: OpenAIConnectionSettings<OpenAIAccountOptions> = { name: PROVIDER_NAME, ...OPENAI_CONNECTION };

/**
 * OpenAI's Responses API (`POST /v1/responses`), with the `openai` provider's connection options,
 * SDK client and error mapping; a different wire API, so not made by the Chat Completions factory.
 */
export const openaiResponses = defineProvider<OpenAIResponsesOptions>({
  name: PROVIDER_NAME,
  credentials: 'explicit',
  guardsConnections: true,
  endpointOptions: ['base_url'],
  capabilities: { streaming: true, tools: true, images: true, jsonSchema: true },
  parseOptions: (raw, context) => parseOpenAIResponsesOptions(raw, context, CONNECTION),
  createModel(options, context) {
    const client = createOpenAIClient(CONNECTION, options.connection, context);
    return new OpenAIResponsesChatModel({ provider: PROVIDER_NAME, model: options.connection.model, client, defaults: options.body });
  },
});
