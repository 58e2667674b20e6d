import type { ProviderContext } from '@reg/core';
import type { LanguageModelV2, LanguageModelV3, LanguageModelV4, ProviderV2, ProviderV3, ProviderV4 } from '@ai-sdk/provider';
import { describe, isRecord, OptionReader } from '@reg/provider-utils';

/** A language model of any AI SDK specification version reg can drive. */
export type AnyLanguageModel = LanguageModelV4 | LanguageModelV3 | LanguageModelV2;

/** An AI SDK provider instance, or any function from a model id to a language model. */
export type AnyAiSdkProvider = ProviderV4 | ProviderV3 | ProviderV2 | ((modelId: string) => AnyLanguageModel);

/** Client options of the `ai-sdk` provider (read from the config's `max_tokens`, `top_p`, ...). */
export interface AiSdkOptions {
  /** The model id, or (in code) a language model object. */
  model: string | AnyLanguageModel;
  /** The AI SDK provider package the app installed, e.g. `@ai-sdk/mistral`. */
  package?: string;
  /** The package's export that builds a provider; default: its one `create*` export. */
  factory?: string;
  /** Passed to the factory: apiKey, baseURL, headers, name, ... (`api_key` and `base_url` land here). */
  settings: Record<string, unknown>;
  /** In code: a provider instance (or a function of the model id) instead of a package. */
  provider?: AnyAiSdkProvider;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Headers on every call (the AI SDK's per-call `headers`). */
  headers?: Record<string, string>;
  /** The AI SDK's `providerOptions`, keyed by the AI SDK provider's name; a request's win. */
  providerOptions?: Record<string, Record<string, unknown>>;
  /** Options reg does not know: sent as `providerOptions[<the model's provider>]`, which OpenAI-compatible packages put in the body. */
  passthrough: Record<string, unknown>;
}

/** Call options reg sets from each request; a client option for them would be silently overwritten. */
const PER_CALL = new Set(['messages', 'prompt', 'tools', 'tool_choice', 'response_format', 'stream', 'abort_signal']);

const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** True for an AI SDK language model object (any specification version). */
export function isLanguageModel(value: unknown): value is AnyLanguageModel {
  return (
    isRecord(value) &&
    typeof value.specificationVersion === 'string' &&
    typeof value.doGenerate === 'function' &&
    typeof value.doStream === 'function'
  );
}

export function parseAiSdkOptions(raw: Record<string, unknown>, context: ProviderContext): AiSdkOptions {
  const reader = new OptionReader(raw, context);
  const options: AiSdkOptions = { model: readModel(reader), settings: {}, passthrough: {} };

  options.package = reader.string('package', { pattern: PACKAGE_NAME, example: "an npm package name such as '@ai-sdk/mistral'" });
  options.factory = reader.string('factory', { pattern: IDENTIFIER, example: "an export name such as 'createMistral'" });
  options.provider = readProvider(reader);
  options.settings = { ...reader.record('settings', '{ apiKey: ..., baseURL: ... }') };
  // BAML's names for the two settings every vendor has, so pasted configs keep working.
  const apiKey = reader.string('api_key', { secret: true });
  const baseUrl = reader.string('base_url', { url: true });
  if (apiKey !== undefined) {
    if ('apiKey' in options.settings) reader.fail('api_key', 'and settings.apiKey are both set; keep one');
    else options.settings.apiKey = apiKey;
  }
  if (baseUrl !== undefined) {
    if ('baseURL' in options.settings) reader.fail('base_url', 'and settings.baseURL are both set; keep one');
    else options.settings.baseURL = baseUrl;
  }

  const modelIsObject = typeof options.model !== 'string';
  const sources = [options.package !== undefined, options.provider !== undefined, modelIsObject].filter(Boolean).length;
  if (sources === 0 && options.model !== '') {
    reader.fail('package', "is required: the AI SDK provider package to load (e.g. '@ai-sdk/mistral'), or pass options.provider / an AI SDK model in code");
  } else if (sources > 1) {
    reader.fail(modelIsObject ? 'model' : 'provider', 'give one of options.package, options.provider or a language model object in options.model, not several');
  }
  if (options.factory !== undefined && options.package === undefined) reader.fail('factory', 'only applies with options.package');

  options.maxTokens = reader.number('max_tokens', { integer: true, min: 1 });
  options.temperature = reader.number('temperature', { min: 0 });
  options.topP = reader.number('top_p', { min: 0, max: 1 });
  options.topK = reader.number('top_k', { integer: true, min: 1 });
  options.seed = reader.number('seed', { integer: true });
  options.presencePenalty = reader.number('presence_penalty');
  options.frequencyPenalty = reader.number('frequency_penalty');
  options.stopSequences = reader.strings('stop_sequences');
  options.headers = reader.stringMap('headers', 'header names');
  options.providerOptions = readProviderOptions(reader);

  for (const [key, value] of Object.entries(reader.rest())) {
    if (PER_CALL.has(key)) reader.fail(key, 'is set from each request by reg; put it in the request instead of the client options');
    else options.passthrough[key] = value;
  }
  reader.done();
  return options;
}

/** The model id, or in code a language model object ('' when missing or invalid, with the problem recorded). */
function readModel(reader: OptionReader): string | AnyLanguageModel {
  const found = reader.raw('model');
  if (!found) {
    reader.fail('model', "is required: the model id (e.g. 'mistral-large-latest'), or in code an AI SDK language model");
    return '';
  }
  if (isLanguageModel(found.value) || (typeof found.value === 'string' && found.value.trim() !== '')) return found.value;
  reader.fail('model', `must be a model id string or, in code, an AI SDK language model, not ${describe(found.value)}`);
  return '';
}

function readProvider(reader: OptionReader): AnyAiSdkProvider | undefined {
  const found = reader.raw('provider');
  if (!found) return undefined;
  const { value } = found;
  if (typeof value === 'function' || (isRecord(value) && typeof value.languageModel === 'function')) return value as AnyAiSdkProvider;
  reader.fail('provider', `must be, in code, an AI SDK provider instance (with languageModel) or a function from a model id to a language model, not ${describe(value)}`);
  return undefined;
}

function readProviderOptions(reader: OptionReader): Record<string, Record<string, unknown>> | undefined {
  const found = reader.raw('provider_options');
  if (!found) return undefined;
  if (isRecord(found.value) && Object.values(found.value).every(isRecord)) return found.value as Record<string, Record<string, unknown>>;
  reader.fail('provider_options', "must be an object of objects keyed by the AI SDK provider's name, such as { mistral: { safePrompt: true } }");
  return undefined;
}

/**
 * The `ai-sdk/<package>/<model>` shorthand: `ai-sdk/@ai-sdk/mistral/mistral-large-latest` loads
 * `@ai-sdk/mistral`; the key comes from the package's own environment variable.
 */
export function shorthandAiSdkOptions(reference: string): Record<string, unknown> {
  const segments = reference.split('/');
  const packageLength = reference.startsWith('@') ? 2 : 1;
  if (segments.length <= packageLength) return { model: reference };
  return { package: segments.slice(0, packageLength).join('/'), model: segments.slice(packageLength).join('/') };
}
