import { defineProvider } from '@reg/core';
import { createOpenAIClient } from './openai-transport.js';
import { OPENAI_MAX_FILE_BYTES, OPENAI_RESPONSES_FILE_TYPES, type OpenAIFileRules } from './openai-file-input.js';
import { OPENAI_CONNECTION, type OpenAIAccountOptions, type OpenAIConnectionSettings } from './openai-options.js';
import { OpenAIResponsesChatModel } from './openai-responses-chat-model.js';
import { parseOpenAIResponsesOptions, type OpenAIResponsesOptions } from './openai-responses-options.js';

const PROVIDER_NAME = 'openai-responses';

/** The `openai` provider's connection: its URL, key variable, organization and project. */
const CONNECTION: OpenAIConnectionSettings<OpenAIAccountOptions> = { name: PROVIDER_NAME, ...OPENAI_CONNECTION };

/** Documents as `input_file`, by data or by URL (`file_url`); the Responses API takes no audio input. */
const FILES: OpenAIFileRules = { types: OPENAI_RESPONSES_FILE_TYPES, urls: true, maxBytes: OPENAI_MAX_FILE_BYTES };

/**
 * OpenAI's Responses API (`POST /v1/responses`), with the `openai` provider's connection options,
 * SDK client and error mapping; a different wire API, so not made by the Chat Completions factory.
 */
export const openaiResponses = defineProvider<OpenAIResponsesOptions>({
  name: PROVIDER_NAME,
  credentials: 'explicit',
  guardsConnections: true,
  endpointOptions: ['base_url'],
  capabilities: { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: OPENAI_RESPONSES_FILE_TYPES },
  parseOptions: (raw, context) => parseOpenAIResponsesOptions(raw, context, CONNECTION),
  createModel(options, context) {
    const client = createOpenAIClient(CONNECTION, options.connection, context);
    return new OpenAIResponsesChatModel({ provider: PROVIDER_NAME, model: options.connection.model, client, defaults: options.body, files: FILES });
  },
});
