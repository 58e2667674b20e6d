import type { Exchange, VendorRoute } from '../emulator/types.js';
import { handleChatCompletions } from './openai-chat.js';
import { authenticate, familyHeaders } from './openai-errors.js';
import { handleResponses } from './openai-responses.js';

/** The dated versions Azure's deployment routes accept (`2024-10-21`, `2025-04-01-preview`). */
const AZURE_API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** The models `GET /v1/models` lists; the emulator answers any model name, these only make the list realistic. */
const LISTED_MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'o4-mini', 'gpt-5', 'gpt-5-mini'];

/** OpenAI, Azure OpenAI and OpenRouter: one wire format, three surfaces. */
export const openaiRoutes: VendorRoute[] = [
  {
    vendor: 'openai',
    method: 'POST',
    pattern: /^\/v1\/chat\/completions$/,
    handle: (exchange) => handleChatCompletions(exchange, { vendor: 'openai' }),
  },
  {
    vendor: 'openai',
    method: 'POST',
    pattern: /^\/v1\/responses$/,
    handle: (exchange) => handleResponses(exchange, { vendor: 'openai' }),
  },
  {
    vendor: 'openai',
    method: 'GET',
    pattern: /^\/v1\/models$/,
    handle: async (exchange) => {
      if (!authenticate(exchange, 'openai')) return;
      const data = LISTED_MODELS.map((id) => ({ id, object: 'model', created: 1_715_367_049, owned_by: 'system' }));
      exchange.json(200, { object: 'list', data }, familyHeaders(exchange, 'openai'));
    },
  },
  {
    vendor: 'azure',
    method: 'POST',
    pattern: /^\/openai\/deployments\/(?<deployment>[^/]+)\/chat\/completions$/,
    handle: async (exchange) => {
      if (!hasAzureApiVersion(exchange)) return;
      await handleChatCompletions(exchange, { vendor: 'azure', deployment: exchange.params.deployment });
    },
  },
  {
    vendor: 'azure',
    method: 'POST',
    pattern: /^\/openai\/v1\/chat\/completions$/,
    handle: (exchange) => handleChatCompletions(exchange, { vendor: 'azure' }),
  },
  {
    vendor: 'azure',
    method: 'POST',
    pattern: /^\/openai\/v1\/responses$/,
    handle: (exchange) => handleResponses(exchange, { vendor: 'azure' }),
  },
  {
    vendor: 'azure',
    method: 'POST',
    pattern: /^\/openai\/responses$/,
    handle: async (exchange) => {
      if (!hasAzureApiVersion(exchange)) return;
      await handleResponses(exchange, { vendor: 'azure' });
    },
  },
  {
    vendor: 'openrouter',
    method: 'POST',
    pattern: /^\/api\/v1\/chat\/completions$/,
    handle: (exchange) => handleChatCompletions(exchange, { vendor: 'openrouter' }),
  },
  {
    vendor: 'openrouter',
    method: 'GET',
    pattern: /^\/api\/v1\/models$/,
    handle: async (exchange) => {
      // OpenRouter's model list is public and richer than OpenAI's (no `object: 'list'`).
      const data = LISTED_MODELS.map((name) => ({
        id: `openai/${name}`,
        canonical_slug: `openai/${name}`,
        name: `OpenAI: ${name}`,
        created: 1_715_367_049,
        context_length: 128_000,
        architecture: { modality: 'text->text', input_modalities: ['text'], output_modalities: ['text'], tokenizer: 'GPT' },
        pricing: { prompt: '0.00000015', completion: '0.0000006' },
        supported_parameters: ['max_tokens', 'temperature', 'tools', 'tool_choice', 'response_format', 'stream_options'],
      }));
      exchange.json(200, { data }, familyHeaders(exchange, 'openrouter'));
    },
  },
];

/** Azure's deployment routes need `api-version`: without one the route is not found, an unknown one is a 400. */
function hasAzureApiVersion(exchange: Exchange): boolean {
  const version = exchange.request.query['api-version'];
  if (!version) {
    exchange.json(404, { error: { code: '404', message: 'Resource not found' } }, familyHeaders(exchange, 'azure'));
    return false;
  }
  if (!AZURE_API_VERSION.test(version)) {
    exchange.json(400, { error: { code: 'BadRequest', message: 'API version not supported' } }, familyHeaders(exchange, 'azure'));
    return false;
  }
  return true;
}
