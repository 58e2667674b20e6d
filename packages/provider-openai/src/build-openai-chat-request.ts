import type { ChatRequest, ResponseFormat, ToolChoice } from '@reg/core';
import type OpenAI from 'openai';
import { convertToOpenAIChatMessages, type ChatConversion } from './convert-to-openai-chat-messages.js';
import type { ChatSettings, MaxTokensField } from './openai-chat-options.js';

/** What one Chat Completions model sends with every request. */
export interface ChatRequestDefaults extends ChatConversion {
  settings: ChatSettings;
  /** The token-limit field when the options named none. */
  maxTokensField: MaxTokensField;
}

export type ChatBody = OpenAI.ChatCompletionCreateParamsNonStreaming & Record<string, unknown>;

/**
 * The Chat Completions body: client options first (unknown ones included), then the request's own
 * fields, then `request.providerOptions[provider]` over everything. `client` is named when a part
 * cannot be sent.
 */
export function buildOpenAIChatRequest(request: ChatRequest, defaults: ChatRequestDefaults, client: string): ChatBody {
  const { settings } = defaults;
  const body: Record<string, unknown> = { ...settings.passthrough, model: defaults.model };
  body.messages = convertToOpenAIChatMessages(request.messages, defaults, client);

  setIfDefined(body, 'temperature', request.temperature ?? settings.temperature);
  setIfDefined(body, 'top_p', request.topP ?? settings.topP);
  setIfDefined(body, settings.maxTokensField ?? defaults.maxTokensField, request.maxTokens ?? settings.maxTokens);
  setIfDefined(body, 'stop', request.stopSequences ?? settings.stop);
  setIfDefined(body, 'seed', settings.seed);
  setIfDefined(body, 'reasoning_effort', settings.reasoningEffort);
  setIfDefined(body, 'response_format', responseFormat(request.responseFormat, settings.responseFormat));

  if (request.tools?.length) {
    body.tools = request.tools.map(
      (tool): OpenAI.ChatCompletionFunctionTool => ({
        type: 'function',
        function: {
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          parameters: tool.inputSchema,
        },
      }),
    );
  }
  setIfDefined(body, 'tool_choice', toolChoice(request.toolChoice));

  const extra = request.providerOptions?.[defaults.provider];
  if (extra) Object.assign(body, extra);
  return body as ChatBody;
}

function responseFormat(format: ResponseFormat | undefined, fallback: Record<string, unknown> | undefined): unknown {
  if (!format) return fallback;
  if (format.type === 'text') return fallback ? { type: 'text' } : undefined;
  if (!format.schema) return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: format.name ?? 'response', schema: format.schema } };
}

function toolChoice(choice: ToolChoice | undefined): OpenAI.ChatCompletionToolChoiceOption | undefined {
  if (choice === undefined || typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.toolName } };
}

function setIfDefined(body: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}
