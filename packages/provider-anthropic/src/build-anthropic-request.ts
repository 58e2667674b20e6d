import type { MessageCreateParamsBase, TextBlockParam, Tool, ToolChoice } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest, ToolChoice as RegToolChoice } from '@reg/core';
import { DEFAULT_MAX_TOKENS, type AnthropicOptions } from './anthropic-options.js';
import { PROVIDER_NAME } from './anthropic-provider.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

/** Without a schema, Anthropic has no JSON mode; the instruction is the documented way to ask for JSON. */
const JSON_INSTRUCTION = 'Respond with a single valid JSON value and nothing else.';

/**
 * The Messages API body for one request: unknown client options first, then the client's known
 * options, then the request's own fields, then `request.providerOptions.anthropic` over all.
 */
export function buildAnthropicRequest(request: ChatRequest, options: AnthropicOptions): MessageCreateParamsBase {
  const prompt = convertToAnthropicMessages(request.messages);
  const body: Record<string, unknown> = {
    ...options.extraBody,
    model: options.model,
    max_tokens: request.maxTokens ?? options.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages: prompt.messages,
  };
  let system = prompt.system;
  const temperature = request.temperature ?? options.temperature;
  if (temperature !== undefined) body.temperature = temperature;
  const topP = request.topP ?? options.topP;
  if (topP !== undefined) body.top_p = topP;
  if (options.topK !== undefined) body.top_k = options.topK;
  const stops = request.stopSequences ?? options.stopSequences;
  if (stops !== undefined) body.stop_sequences = stops;
  if (options.metadata !== undefined) body.metadata = options.metadata;
  if (options.thinking !== undefined) body.thinking = options.thinking;

  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool): Tool => {
      const converted: Tool = { name: tool.name, input_schema: tool.inputSchema as Tool['input_schema'] };
      if (tool.description !== undefined) converted.description = tool.description;
      return converted;
    });
    if (request.toolChoice !== undefined) body.tool_choice = toolChoice(request.toolChoice);
  }

  if (request.responseFormat?.type === 'json') {
    if (request.responseFormat.schema) {
      const outputConfig = (body.output_config ?? {}) as Record<string, unknown>;
      body.output_config = { ...outputConfig, format: { type: 'json_schema', schema: request.responseFormat.schema } };
    } else {
      system = appendInstruction(system, JSON_INSTRUCTION);
    }
  }
  if (system !== undefined) body.system = system;

  const extra = request.providerOptions?.[PROVIDER_NAME];
  if (extra) Object.assign(body, extra);
  return body as unknown as MessageCreateParamsBase;
}

function toolChoice(choice: RegToolChoice): ToolChoice {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  return { type: 'tool', name: choice.toolName };
}

function appendInstruction(system: string | TextBlockParam[] | undefined, instruction: string): string | TextBlockParam[] {
  if (system === undefined) return instruction;
  if (typeof system === 'string') return `${system}\n\n${instruction}`;
  return [...system, { type: 'text', text: instruction }];
}
