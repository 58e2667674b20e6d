import type { ConverseRequest, InferenceConfiguration, Message, Tool, ToolChoice as BedrockToolChoice, ToolConfiguration } from '@aws-sdk/client-bedrock-runtime';
import { RegError, type ChatRequest, type ToolChoice } from '@reg/core';
import { isRecord } from '@reg/provider-utils';
import type { BedrockOptions } from './bedrock-options.js';
import { PROVIDER_NAME } from './bedrock-provider.js';
import { convertToBedrockMessages, toDocument, type ConvertContext } from './convert-to-bedrock-messages.js';

export interface BuildContext extends ConvertContext {
  options: BedrockOptions;
}

/**
 * The Converse request (ConverseStream takes the same) for a reg request. Client options give
 * defaults, the request wins, and `providerOptions['aws-bedrock']` merges last, into the body.
 */
export function buildBedrockRequest(request: ChatRequest, context: BuildContext): ConverseRequest {
  const { options } = context;
  const { system, messages } = convertToBedrockMessages(request.messages, context);
  const input: ConverseRequest = { modelId: options.model, messages };
  if (request.responseFormat?.type === 'json' && !request.responseFormat.schema) {
    // Converse has no schema-less JSON mode; an instruction is the portable way to ask for it.
    system.push({ text: 'Respond with a single valid JSON value and nothing else.' });
  }
  if (system.length > 0) input.system = system;

  const inference = inferenceConfig(request, options);
  if (inference) input.inferenceConfig = inference;

  const toolConfig = toolConfiguration(request, messages, context);
  if (toolConfig) input.toolConfig = toolConfig;

  if (request.responseFormat?.type === 'json' && request.responseFormat.schema) {
    input.outputConfig = {
      textFormat: {
        type: 'json_schema',
        structure: { jsonSchema: { schema: JSON.stringify(request.responseFormat.schema), name: request.responseFormat.name ?? 'response' } },
      },
    };
  }
  if (options.additionalModelRequestFields) input.additionalModelRequestFields = toDocument(options.additionalModelRequestFields);
  if (options.passthrough) Object.assign(input, options.passthrough);

  const extra = request.providerOptions?.[PROVIDER_NAME];
  if (extra) mergeProviderOptions(input, extra);
  return input;
}

function inferenceConfig(request: ChatRequest, options: BedrockOptions): InferenceConfiguration | undefined {
  const defaults = options.inferenceConfiguration;
  const maxTokens = request.maxTokens ?? defaults?.maxTokens;
  const temperature = request.temperature ?? defaults?.temperature;
  const topP = request.topP ?? defaults?.topP;
  const stopSequences = request.stopSequences ?? defaults?.stopSequences;
  if (maxTokens === undefined && temperature === undefined && topP === undefined && !stopSequences?.length) return undefined;
  const config: InferenceConfiguration = {};
  if (maxTokens !== undefined) config.maxTokens = maxTokens;
  if (temperature !== undefined) config.temperature = temperature;
  if (topP !== undefined) config.topP = topP;
  if (stopSequences !== undefined && stopSequences.length > 0) config.stopSequences = stopSequences;
  return config;
}

/**
 * Converse has no `none` tool choice. With `none` the tools are left out, unless the conversation
 * already holds tool blocks: then Bedrock requires the toolConfig, and the model may still call.
 */
function toolConfiguration(request: ChatRequest, messages: Message[], context: BuildContext): ToolConfiguration | undefined {
  const historyUsesTools = messages.some((message) => message.content?.some((block) => block.toolUse || block.toolResult));
  if (!request.tools?.length) {
    if (!historyUsesTools) return undefined;
    throw new RegError({
      code: 'invalid_request',
      client: context.client,
      provider: PROVIDER_NAME,
      model: context.model,
      message: 'Bedrock Converse needs the tool definitions (request.tools) when the conversation contains tool calls or tool results.',
    });
  }
  if (request.toolChoice === 'none' && !historyUsesTools) return undefined;
  const tools: Tool[] = request.tools.map((tool) => ({
    toolSpec: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: { json: toDocument(tool.inputSchema) },
    },
  }));
  const toolChoice = toolChoiceOf(request.toolChoice);
  return toolChoice ? { tools, toolChoice } : { tools };
}

function toolChoiceOf(choice: ToolChoice | undefined): BedrockToolChoice | undefined {
  if (choice === undefined || choice === 'none') return undefined;
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  return { tool: { name: choice.toolName } };
}

/** `providerOptions['aws-bedrock']`: Converse fields, with objects merged one level deep. */
function mergeProviderOptions(input: ConverseRequest, extra: Record<string, unknown>): void {
  const target = input as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(extra)) {
    const current = target[key];
    target[key] = isRecord(current) && isRecord(value) ? { ...current, ...value } : value;
  }
}
