import { anthropicRoutes } from '../vendors/anthropic-routes.js';
import { bedrockRoutes } from '../vendors/bedrock-routes.js';
import { createGoogleRoutes, type GoogleRoutesOptions } from '../vendors/google-routes.js';
import { openaiRoutes } from '../vendors/openai-routes.js';
import { startServer, type Emulator } from './server.js';

export interface StartEmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  google?: GoogleRoutesOptions;
}

/** Where each vendor's SDK should point to reach this emulator. */
export interface VendorBaseUrls {
  openai: string;
  azure: string;
  openrouter: string;
  anthropic: string;
  bedrock: string;
  gemini: string;
  vertex: string;
  oauthToken: string;
}

export interface RunningEmulator extends Emulator {
  baseUrls: VendorBaseUrls;
}

/** Starts one server that speaks every vendor API testkit emulates, on 127.0.0.1. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const server = await startServer({
    port: options.port,
    host: options.host,
    routes: [...openaiRoutes, ...anthropicRoutes, ...bedrockRoutes, ...createGoogleRoutes(options.google)],
  });
  const { url } = server;
  return Object.assign(server, {
    baseUrls: {
      openai: `${url}/v1`,
      azure: url,
      openrouter: `${url}/api/v1`,
      anthropic: url,
      bedrock: url,
      gemini: url,
      vertex: url,
      oauthToken: `${url}/token`,
    },
  });
}
