import { ConfigError, type ConfigIssue, type ProviderContext } from '@reg/core';
import type { LanguageModelV2, LanguageModelV3, LanguageModelV4, ProviderV2, ProviderV3, ProviderV4 } from '@ai-sdk/provider';

export const PROVIDER_NAME = 'ai-sdk';

/** A language model of any AI SDK specification version reg can drive. */
export type AnyLanguageModel = LanguageModelV4 | LanguageModelV3 | LanguageModelV2;

/** An AI SDK provider instance, or any function from a model id to a language model. */
export type AnyAiSdkProvider = ProviderV4 | ProviderV3 | ProviderV2 | ((modelId: string) => AnyLanguageModel);

/** Client options of the `ai-sdk` provider. */
export interface AiSdkOptions {
  /** The model id, or (in code) a language model object. */
  model: string | AnyLanguageModel;
  /** The AI SDK provider package the app installed, e.g. `@ai-sdk/mistral`. */
  package?: string;
  /** The package's export that builds a provider; default: its one `create*` export. */
  factory?: string;
  /** Passed to the factory: apiKey, baseURL, headers, name, ... */
  settings: Record<string, unknown>;
  /** In code: a provider instance (or a function of the model id) instead of a package. */
  provider?: AnyAiSdkProvider;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  /** Headers on every call (the AI SDK's per-call `headers`). */
  headers?: Record<string, string>;
  /** The AI SDK's `providerOptions`, keyed by the AI SDK provider's name; a request's win. */
  provider_options?: Record<string, Record<string, unknown>>;
  /** Options reg does not know: sent as `providerOptions[<the model's provider>]`, which OpenAI-compatible packages put in the body. */
  passthrough: Record<string, unknown>;
}

const KNOWN = new Set([
  'model',
  'package',
  'factory',
  'settings',
  'provider',
  'api_key',
  'base_url',
  'max_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'headers',
  'provider_options',
]);

/** Call options reg sets from each request; a client option for them would be silently overwritten. */
const PER_CALL = new Set(['messages', 'prompt', 'tools', 'tool_choice', 'response_format', 'stream', 'abort_signal']);

const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
  const issues: ConfigIssue[] = [];
  const at = (key: string) => `${context.path}.${key}`;
  const fail = (key: string, message: string) => issues.push({ path: at(key), message });

  const text = (key: string, rules: { secret?: boolean; pattern?: RegExp; example?: string } = {}): string | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      // A malformed key is still a key: never echo it.
      fail(key, rules.secret ? 'must be a non-empty string' : `must be a non-empty string, not ${describe(value)}`);
      return undefined;
    }
    if (rules.pattern && !rules.pattern.test(value)) {
      fail(key, `must look like ${rules.example}, not ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  };
  const number = (key: string, rules: { min?: number; max?: number; integer?: boolean } = {}): number | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    const outside = typeof value === 'number' && ((rules.min !== undefined && value < rules.min) || (rules.max !== undefined && value > rules.max));
    if (typeof value !== 'number' || !Number.isFinite(value) || (rules.integer && !Number.isInteger(value)) || outside) {
      const kind = rules.integer ? 'a whole number' : 'a number';
      const range =
        rules.min !== undefined && rules.max !== undefined ? ` from ${rules.min} to ${rules.max}` : rules.min !== undefined ? ` of at least ${rules.min}` : '';
      fail(key, `must be ${kind}${range}, not ${describe(value)}`);
      return undefined;
    }
    return value;
  };
  const stringRecord = (key: string, example: string): Record<string, string> | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) {
      fail(key, `must be an object such as ${example}, not ${describe(value)}`);
      return undefined;
    }
    const bad = Object.entries(value).filter(([, item]) => typeof item !== 'string');
    for (const [name, item] of bad) fail(`${key}.${name}`, `must be a string, not ${describe(item)}`);
    return bad.length === 0 ? (value as Record<string, string>) : undefined;
  };

  const options: AiSdkOptions = { model: '', settings: {}, passthrough: {} };
  const set = <Key extends keyof AiSdkOptions>(key: Key, value: AiSdkOptions[Key] | undefined) => {
    if (value !== undefined) options[key] = value;
  };

  const model = raw.model;
  if (isLanguageModel(model)) options.model = model;
  else if (typeof model === 'string' && model.trim() !== '') options.model = model;
  else if (model === undefined || model === null) fail('model', "is required: the model id (e.g. 'mistral-large-latest'), or in code an AI SDK language model");
  else fail('model', `must be a model id string or, in code, an AI SDK language model, not ${describe(model)}`);

  set('package', text('package', { pattern: PACKAGE_NAME, example: "an npm package name such as '@ai-sdk/mistral'" }));
  set('factory', text('factory', { pattern: IDENTIFIER, example: "an export name such as 'createMistral'" }));

  const provider = raw.provider;
  if (provider !== undefined && provider !== null) {
    if (typeof provider === 'function' || (isRecord(provider) && typeof provider.languageModel === 'function')) {
      options.provider = provider as AnyAiSdkProvider;
    } else {
      fail('provider', `must be, in code, an AI SDK provider instance (with languageModel) or a function from a model id to a language model, not ${describe(provider)}`);
    }
  }

  const settings = raw.settings;
  if (settings !== undefined && settings !== null) {
    if (isRecord(settings)) options.settings = { ...settings };
    else fail('settings', `must be an object of the factory's settings such as { apiKey: ..., baseURL: ... }, not ${describe(settings)}`);
  }
  // BAML's names for the two settings every vendor has, so pasted configs keep working.
  const apiKey = text('api_key', { secret: true });
  const baseUrl = text('base_url', { pattern: /^https?:\/\/[^\s/]+/, example: "an http(s) URL such as 'https://api.mistral.ai/v1'" });
  if (apiKey !== undefined) {
    if ('apiKey' in options.settings) fail('api_key', 'and settings.apiKey are both set; keep one');
    else options.settings.apiKey = apiKey;
  }
  if (baseUrl !== undefined) {
    if ('baseURL' in options.settings) fail('base_url', 'and settings.baseURL are both set; keep one');
    else options.settings.baseURL = baseUrl;
  }

  const modelIsObject = typeof options.model !== 'string';
  const sources = [options.package !== undefined, options.provider !== undefined, modelIsObject].filter(Boolean).length;
  if (sources === 0 && typeof options.model === 'string' && options.model !== '') {
    fail('package', "is required: the AI SDK provider package to load (e.g. '@ai-sdk/mistral'), or pass options.provider / an AI SDK model in code");
  } else if (sources > 1) {
    fail(modelIsObject ? 'model' : 'provider', 'give one of options.package, options.provider or a language model object in options.model, not several');
  }
  if (options.factory !== undefined && options.package === undefined) fail('factory', 'only applies with options.package');

  set('max_tokens', number('max_tokens', { min: 1, integer: true }));
  set('temperature', number('temperature', { min: 0 }));
  set('top_p', number('top_p', { min: 0, max: 1 }));
  set('top_k', number('top_k', { min: 1, integer: true }));
  set('seed', number('seed', { integer: true }));
  set('presence_penalty', number('presence_penalty'));
  set('frequency_penalty', number('frequency_penalty'));
  set('headers', stringRecord('headers', "{ 'x-team': 'search' }"));

  const stops = raw.stop_sequences;
  if (stops !== undefined && stops !== null) {
    if (!Array.isArray(stops) || stops.some((stop) => typeof stop !== 'string')) fail('stop_sequences', `must be a list of strings, not ${describe(stops)}`);
    else options.stop_sequences = stops as string[];
  }

  const providerOptions = raw.provider_options;
  if (providerOptions !== undefined && providerOptions !== null) {
    const bad = !isRecord(providerOptions) ? [''] : Object.entries(providerOptions).filter(([, value]) => !isRecord(value)).map(([name]) => name);
    if (bad.length > 0) {
      fail('provider_options', `must be an object of objects keyed by the AI SDK provider's name, such as { mistral: { safePrompt: true } }`);
    } else {
      options.provider_options = providerOptions as Record<string, Record<string, unknown>>;
    }
  }

  for (const [key, value] of Object.entries(raw)) {
    if (KNOWN.has(key)) continue;
    if (PER_CALL.has(key)) fail(key, 'is set from each request by reg; put it in the request instead of the client options');
    else if (value !== undefined) options.passthrough[key] = value;
  }

  if (issues.length > 0) throw new ConfigError(issues);
  return options;
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

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value) ?? String(value);
}
