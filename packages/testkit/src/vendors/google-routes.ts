import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import type { Exchange, VendorRoute } from '../emulator/types.js';
import { handleGenerateContent } from './gemini-generate.js';
import {
  BEARER_CHALLENGE,
  apiKeyInvalidError,
  sendGoogleError,
  unregisteredCallerError,
  vertexInsufficientScopeError,
  vertexUnauthenticatedError,
} from './google-errors.js';
import {
  AccessTokenIssuer,
  CLOUD_PLATFORM_SCOPE,
  createOAuthTokenRoute,
  sharedServiceAccountTrust,
  type ServiceAccountTrust,
} from './google-oauth.js';

/** The model's method rides in the last path segment after a colon: `models/{model}:{method}`. */
const METHOD = '(?<model>[^/:]+):(?<method>generateContent|streamGenerateContent)';
const GEMINI_PATTERN = new RegExp(`^/(?:v1|v1beta)/models/${METHOD}$`);
const VERTEX_PROJECT_PATTERN = new RegExp(
  `^/(?:v1|v1beta1)/projects/(?<project>[^/]+)/locations/(?<location>[^/]+)/publishers/google/models/${METHOD}$`,
);
/** Vertex AI express mode: an API key and no project or location in the path. */
const VERTEX_EXPRESS_PATTERN = new RegExp(`^/(?:v1|v1beta1)/publishers/google/models/${METHOD}$`);

function header(exchange: Exchange, name: string): string | undefined {
  const value = exchange.request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The key from `x-goog-api-key` or `?key=`, the two places Google APIs read one from. */
function apiKey(exchange: Exchange): string | undefined {
  return header(exchange, 'x-goog-api-key') ?? exchange.request.query.key;
}

function authenticateGemini(exchange: Exchange): boolean {
  const key = apiKey(exchange);
  if (key === TEST_CREDENTIALS.gemini) return true;
  sendGoogleError(exchange, key === undefined ? unregisteredCallerError() : apiKeyInvalidError('gemini'));
  return false;
}

function authenticateVertex(exchange: Exchange, issuer: AccessTokenIssuer): boolean {
  const authorization = header(exchange, 'authorization');
  if (authorization !== undefined) {
    const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
    const check = token === undefined ? undefined : issuer.check(token);
    if (!check?.valid) {
      sendGoogleError(exchange, vertexUnauthenticatedError(check?.reason ?? 'ACCESS_TOKEN_TYPE_UNSUPPORTED'), BEARER_CHALLENGE);
      return false;
    }
    if (!check.claims.scopes.includes(CLOUD_PLATFORM_SCOPE)) {
      sendGoogleError(exchange, vertexInsufficientScopeError());
      return false;
    }
    return true;
  }
  const key = apiKey(exchange);
  if (key === TEST_CREDENTIALS.vertexApiKey) return true;
  if (key !== undefined) sendGoogleError(exchange, apiKeyInvalidError('vertex'));
  else sendGoogleError(exchange, vertexUnauthenticatedError('CREDENTIALS_MISSING'), BEARER_CHALLENGE);
  return false;
}

export interface GoogleRoutesOptions {
  /** Service accounts whose JWTs the token endpoint accepts (default: `sharedServiceAccountTrust`). */
  trust?: ServiceAccountTrust;
  /** Signs the access tokens the token endpoint issues and Vertex AI accepts (default: a new one). */
  issuer?: AccessTokenIssuer;
  /** `expires_in` of issued access tokens (default 3600). */
  tokenLifetimeSeconds?: number;
}

/**
 * The Gemini API, Vertex AI and the OAuth token endpoint. A factory, because the token endpoint
 * and Vertex AI must share one token issuer: tokens from another route set are forgeries here.
 */
export function createGoogleRoutes(options: GoogleRoutesOptions = {}): VendorRoute[] {
  const issuer = options.issuer ?? new AccessTokenIssuer();
  const trust = options.trust ?? sharedServiceAccountTrust;

  const generate = (service: 'gemini' | 'vertex') => async (exchange: Exchange) => {
    const model = exchange.params.model ?? '';
    // Recorded before authentication, so a test can find a rejected call by model.
    exchange.request.model = model;
    const authenticated = service === 'gemini' ? authenticateGemini(exchange) : authenticateVertex(exchange, issuer);
    if (!authenticated) return;
    await handleGenerateContent(exchange, { service, model, stream: exchange.params.method === 'streamGenerateContent' });
  };

  return [
    { vendor: 'gemini', method: 'POST', pattern: GEMINI_PATTERN, handle: generate('gemini') },
    { vendor: 'vertex', method: 'POST', pattern: VERTEX_PROJECT_PATTERN, handle: generate('vertex') },
    { vendor: 'vertex', method: 'POST', pattern: VERTEX_EXPRESS_PATTERN, handle: generate('vertex') },
    createOAuthTokenRoute({ trust, issuer, lifetimeSeconds: options.tokenLifetimeSeconds }),
  ];
}

/** The Google routes with the shared service-account trust and their own token issuer. */

