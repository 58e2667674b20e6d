import { defineProvider } from '@reg/core';
import { loadApiKey } from '@reg/provider-utils';
import { HttpTransport } from '@reg/provider-utils/http';
import { ECHO_FILE_TYPES, KEY_HEADER } from './echo-api.js';
import { EchoChatModel } from './echo-chat-model.js';
import { API_KEY_ENV, parseEchoOptions, type EchoOptions } from './echo-options.js';

const PROVIDER_NAME = 'echo';

/** `echo`: the Echo API (see the README's protocol section), on the toolkit's HTTP transport. */
export const echo = defineProvider<EchoOptions>({
  name: PROVIDER_NAME,
  credentials: 'explicit',
  guardsConnections: true,
  endpointOptions: ['base_url'],
  capabilities: { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: ECHO_FILE_TYPES },
  parseOptions: parseEchoOptions,
  // Once per distinct options and `options.http`: the key is read here, never at import.
  createModel(options, context) {
    const apiKey = loadApiKey({ apiKey: options.apiKey, environmentVariable: API_KEY_ENV, context, provider: PROVIDER_NAME, model: options.model });
    const headers: Record<string, string> = { 'content-type': 'application/json', [KEY_HEADER]: apiKey };
    // Lower-cased, so a configured `X-Echo-Key` replaces the key instead of going out next to it.
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    const transport = new HttpTransport({ guard: context.connectionGuard });
    return new EchoChatModel({ provider: PROVIDER_NAME, options, headers, fetch: transport.fetchFor(context.http.connectTimeoutMs) });
  },
});
