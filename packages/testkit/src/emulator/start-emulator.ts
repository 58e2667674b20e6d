import { anthropicRoutes } from '../vendors/anthropic-routes.js';
import { createBedrockRoutes, type BedrockRoutesOptions } from '../vendors/bedrock-routes.js';
import { createGoogleRoutes, type GoogleRoutesOptions } from '../vendors/google-routes.js';
import { openaiRoutes } from '../vendors/openai-routes.js';
import { startServer, type Emulator } from './server.js';
import type { RecordedRequest, VendorRoute } from './types.js';

export interface StartEmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  google?: GoogleRoutesOptions;
  /** The Bedrock endpoint's region (default `us-east-1`; `'any'` accepts every region). */
  bedrock?: BedrockRoutesOptions;
  /** Called as each request arrives, e.g. to print a live log with `formatRequestLog([request])`. */
  onRequest?: (request: RecordedRequest) => void;
  /**
   * Routes for vendor APIs the emulator does not know (a third-party provider's own API), served
   * next to the built-in ones and tried before them. They script, record and fault like the
   * built-in vendors: see `Exchange` and `serveOutcome`.
   */
  routes?: VendorRoute[];
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

/** Starts one server that speaks every vendor API testkit emulates (and any `routes` given), on 127.0.0.1. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const server = await startServer({
    port: options.port,
    host: options.host,
    onRequest: options.onRequest,
    routes: [...(options.routes ?? []), ...openaiRoutes, ...anthropicRoutes, ...createBedrockRoutes(options.bedrock), ...createGoogleRoutes(options.google)],
  });
  return Object.assign(server, { baseUrls: vendorBaseUrls(server.url) });
}

/** The base URL each vendor's SDK takes, for an emulator (or any stand-in) at `url`. */
export function vendorBaseUrls(url: string): VendorBaseUrls {
  return {
    openai: `${url}/v1`,
    azure: url,
    openrouter: `${url}/api/v1`,
    anthropic: url,
    bedrock: url,
    gemini: url,
    vertex: url,
    oauthToken: `${url}/token`,
  };
}
