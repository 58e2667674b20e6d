import { randomUUID } from 'node:crypto';
import type { FinishReason, GenerateResult, StreamPart, Usage } from '@reg/core';
import type { OpenAIErrorBody } from './errors.js';

type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

const FINISH_REASONS: Record<FinishReason, OpenAIFinishReason> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  // OpenAI has no "other"; its clients treat stop as "the answer ended".
  other: 'stop',
};

export function completionId(): string {
  return `chatcmpl-${randomUUID().replaceAll('-', '')}`;
}

/**
 * reg's usage in OpenAI's fields: `prompt_tokens` is all input and `completion_tokens` all output,
 * as reg counts them; cache reads and reasoning in OpenAI's details; cache writes, which OpenAI
 * does not report, as `cache_creation_input_tokens` (LiteLLM's name for them in this format).
 */
export function toOpenAIUsage(usage: Usage): Record<string, unknown> {
  const converted: Record<string, unknown> = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedInputTokens !== undefined) converted.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  if (usage.reasoningTokens !== undefined) converted.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  if (usage.cacheWriteInputTokens !== undefined) converted.cache_creation_input_tokens = usage.cacheWriteInputTokens;
  return converted;
}

/** A reg result as a `chat.completion` object. `model` is the upstream model that answered. */
export function toChatCompletion(result: GenerateResult, id: string, created: number): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: result.toolCalls.length > 0 && result.text === '' ? null : result.text, refusal: null };
  if (result.toolCalls.length > 0) {
    message.tool_calls = result.toolCalls.map((call) => ({
      id: call.toolCallId,
      type: 'function',
      function: { name: call.toolName, arguments: JSON.stringify(call.input ?? {}) },
    }));
  }
  return {
    id,
    object: 'chat.completion',
    created,
    model: result.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH_REASONS[result.finishReason] }],
    usage: toOpenAIUsage(result.usage),
  };
}

/** Turns reg stream parts into `chat.completion.chunk` SSE events. */
export class ChunkEncoder {
  readonly #id: string;
  readonly #created: number;
  readonly #includeUsage: boolean;
  /** `data: {"id":...,"model":...,`: every chunk starts with it (the model is known at `start`). */
  #prefix: string;
  /** Tool call id -> its index in `delta.tool_calls`, and whether its start was sent. */
  readonly #toolIndexes = new Map<string, number>();

  constructor(options: { id: string; created: number; includeUsage: boolean }) {
    this.#id = options.id;
    this.#created = options.created;
    this.#includeUsage = options.includeUsage;
    this.#prefix = this.#envelopeText('');
  }

  /** The SSE text for one part; empty when the part has no wire form. */
  encode(part: StreamPart): string {
    switch (part.type) {
      case 'start':
        this.#prefix = this.#envelopeText(part.model);
        return this.#chunk({ role: 'assistant', content: '' }, null);
      case 'text-delta':
        return this.#chunk({ content: part.text }, null);
      case 'tool-call-delta': {
        const known = this.#toolIndexes.get(part.toolCallId);
        if (known !== undefined) return this.#chunk({ tool_calls: [{ index: known, function: { arguments: part.inputDelta } }] }, null);
        const index = this.#toolIndexes.size;
        this.#toolIndexes.set(part.toolCallId, index);
        return this.#chunk({ tool_calls: [{ index, id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: part.inputDelta } }] }, null);
      }
      case 'tool-call': {
        // Already streamed as deltas: the client has assembled it.
        if (this.#toolIndexes.has(part.toolCallId)) return '';
        const index = this.#toolIndexes.size;
        this.#toolIndexes.set(part.toolCallId, index);
        const call = { index, id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) } };
        return this.#chunk({ tool_calls: [call] }, null);
      }
      case 'finish': {
        let text = this.#chunk({}, FINISH_REASONS[part.finishReason]);
        if (this.#includeUsage) text += `${this.#prefix}"choices":[],"usage":${JSON.stringify(toOpenAIUsage(part.usage))}}\n\n`;
        return text + 'data: [DONE]\n\n';
      }
    }
  }

  /** An error after the stream began: OpenAI's in-band error event, which the SDK throws as APIError. */
  error(body: OpenAIErrorBody): string {
    return event(body);
  }

  // Only the part that changes is serialized per chunk; the envelope's text was made at `start`.
  #chunk(delta: Record<string, unknown>, finishReason: OpenAIFinishReason | null): string {
    const choices = JSON.stringify([{ index: 0, delta, logprobs: null, finish_reason: finishReason }]);
    return `${this.#prefix}"choices":${choices}${this.#includeUsage ? ',"usage":null' : ''}}\n\n`;
  }

  #envelopeText(model: string): string {
    const envelope = JSON.stringify({ id: this.#id, object: 'chat.completion.chunk', created: this.#created, model });
    return `data: ${envelope.slice(0, -1)},`;
  }
}

function event(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}
