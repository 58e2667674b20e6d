import type { ProviderContext } from '@reg/core';
import { OptionReader } from '@reg/provider-utils';

/** The environment variable the key defaults to. */
export const API_KEY_ENV = 'ECHO_API_KEY';

/** A client's options after validation: plain data, so core can cache one model per distinct options. */
export interface EchoOptions {
  model: string;
  /** Without a trailing slash: `/replies` is appended. */
  baseUrl: string;
  /** Undefined: ECHO_API_KEY from the registry's environment, read when the model is built. */
  apiKey?: string;
  headers?: Record<string, string>;
  temperature?: number;
  maxTokens?: number;
  /** Options this provider does not know: they go into the request body as they are (as BAML does). */
  extraBody: Record<string, unknown>;
}

/**
 * Validates one client's raw options, reporting every problem at once with its config path
 * (`clients[2].options.temperature: must be at most 2, not 3`).
 */
export function parseEchoOptions(raw: Record<string, unknown>, context: ProviderContext): EchoOptions {
  const reader = new OptionReader(raw, context);
  // Core has already required a model (the provider does not say `requiresModel: false`).
  const model = reader.string('model') ?? '';
  const baseUrl = reader.string('base_url', { required: true, url: true });
  const apiKey = reader.string('api_key', { secret: true });
  const headers = reader.stringMap('headers', 'header names');
  const temperature = reader.number('temperature', { min: 0, max: 2 });
  const maxTokens = reader.number('max_tokens', { integer: true, min: 1 });
  const extraBody = reader.rest();
  reader.done();
  return {
    model,
    baseUrl: baseUrl!.replace(/\/+$/, ''),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(headers === undefined ? {} : { headers }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    extraBody,
  };
}
