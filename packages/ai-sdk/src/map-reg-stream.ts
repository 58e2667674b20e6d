import type { LanguageModelV4StreamPart, SharedV4Warning } from '@ai-sdk/provider';
import type { StreamPart } from '@reg/core';
import { mapFinishReason, mapUsage, regMetadata, toolInput } from './map-reg-result.js';

type Controller = ReadableStreamDefaultController<LanguageModelV4StreamPart>;

/**
 * reg's stream as the AI SDK's: the first part is awaited here, so a call that fails before any
 * content (every client and fallback exhausted, an abort) rejects `doStream` the way an HTTP error
 * does; a failure after that is an `error` part. Cancelling the stream calls `cancel`.
 */
export async function mapRegStream(options: {
  parts: AsyncIterable<StreamPart>;
  warnings: SharedV4Warning[];
  cancel: (reason: unknown) => void;
}): Promise<ReadableStream<LanguageModelV4StreamPart>> {
  const iterator = options.parts[Symbol.asyncIterator]();
  let pending: IteratorResult<StreamPart> | undefined = await iterator.next();
  const blocks = new OpenBlocks();
  return new ReadableStream<LanguageModelV4StreamPart>({
    start(controller) {
      controller.enqueue({ type: 'stream-start', warnings: options.warnings });
    },
    async pull(controller) {
      try {
        const next = pending ?? (await iterator.next());
        pending = undefined;
        if (next.done) {
          blocks.closeAll(controller);
          controller.close();
        } else {
          blocks.map(next.value, controller);
        }
      } catch (error) {
        controller.enqueue({ type: 'error', error });
        controller.close();
      }
    },
    async cancel(reason) {
      options.cancel(reason);
      await iterator.return?.();
    },
  });
}

/** The text block and tool inputs that have started and not yet ended. */
class OpenBlocks {
  #text: string | undefined;
  #textCount = 0;
  readonly #toolInputs = new Set<string>();

  map(part: StreamPart, controller: Controller): void {
    switch (part.type) {
      case 'start':
        controller.enqueue({ type: 'response-metadata', modelId: part.model });
        break;
      case 'text-delta':
        if (this.#text === undefined) {
          this.#text = String(this.#textCount++);
          controller.enqueue({ type: 'text-start', id: this.#text });
        }
        controller.enqueue({ type: 'text-delta', id: this.#text, delta: part.text });
        break;
      case 'tool-call-delta':
        this.#closeText(controller);
        if (!this.#toolInputs.has(part.toolCallId)) {
          this.#toolInputs.add(part.toolCallId);
          controller.enqueue({ type: 'tool-input-start', id: part.toolCallId, toolName: part.toolName });
        }
        controller.enqueue({ type: 'tool-input-delta', id: part.toolCallId, delta: part.inputDelta });
        break;
      case 'tool-call':
        this.#closeText(controller);
        if (this.#toolInputs.delete(part.toolCallId)) controller.enqueue({ type: 'tool-input-end', id: part.toolCallId });
        controller.enqueue({ type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: toolInput(part.input) });
        break;
      case 'finish':
        this.closeAll(controller);
        controller.enqueue({
          type: 'finish',
          finishReason: mapFinishReason(part.finishReason, part.rawFinishReason),
          usage: mapUsage(part.usage),
          providerMetadata: regMetadata(part, undefined),
        });
        break;
    }
  }

  closeAll(controller: Controller): void {
    this.#closeText(controller);
    for (const id of this.#toolInputs) controller.enqueue({ type: 'tool-input-end', id });
    this.#toolInputs.clear();
  }

  #closeText(controller: Controller): void {
    if (this.#text === undefined) return;
    controller.enqueue({ type: 'text-end', id: this.#text });
    this.#text = undefined;
  }
}
