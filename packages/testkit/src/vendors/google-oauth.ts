import { createHmac, generateKeyPair, randomBytes, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exchange, VendorRoute } from '../emulator/types.js';

/** Google's token endpoint: google-auth-library signs this audience and posts here, whatever the key file says. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Clock skew the endpoint tolerates on `iat` and `exp`. */
const CLOCK_SKEW_SECONDS = 300;
const MAX_ASSERTION_LIFETIME_SECONDS = 3600;

/** A service account the token endpoint knows: what Google holds after a key is created. */
export interface TrustedServiceAccount {
  clientEmail: string;
  privateKeyId: string;
  publicKey: KeyObject;
  /** The `token_uri` written into the key file; accepted as a JWT audience beside Google's own URL. */
  tokenUri: string;
}

/** The service accounts a token endpoint trusts, by client email. */
export type ServiceAccountTrust = Map<string, TrustedServiceAccount>;

/**
 * The trust every emulator shares unless given its own: keys made by `createServiceAccountKey`
 * in this process land here, so a test needs no wiring between the key and the server.
 */
export const sharedServiceAccountTrust: ServiceAccountTrust = new Map();

/** The JSON key file the Cloud console downloads for a service account. */
export interface ServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

export interface ServiceAccountKeyOptions {
  /** Where to write the key file (default: a new temporary directory). */
  directory?: string;
  /** The key file's `token_uri` (default: Google's). */
  tokenUri?: string;
  projectId?: string;
  /** The trust to register the public key in (default: `sharedServiceAccountTrust`). */
  trust?: ServiceAccountTrust;
}

/** Generates a real RSA key pair, writes a service-account key file, and trusts its public key. */
export async function createServiceAccountKey(
  options: ServiceAccountKeyOptions = {},
): Promise<{ path: string; key: ServiceAccountKeyFile; clientEmail: string }> {
  const { publicKey, privateKey } = await new Promise<{ publicKey: KeyObject; privateKey: KeyObject }>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve({ publicKey, privateKey }),
    ),
  );
  const projectId = options.projectId ?? 'reg-emulator-project';
  const accountId = `reg-test-${randomBytes(4).toString('hex')}`;
  const clientEmail = `${accountId}@${projectId}.iam.gserviceaccount.com`;
  const privateKeyId = randomBytes(20).toString('hex');
  const tokenUri = options.tokenUri ?? GOOGLE_TOKEN_URL;
  const key: ServiceAccountKeyFile = {
    type: 'service_account',
    project_id: projectId,
    private_key_id: privateKeyId,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: `1${Array.from(randomBytes(20), (byte) => byte % 10).join('')}`,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'reg-service-account-')));
  const path = join(directory, `${accountId}.json`);
  await writeFile(path, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
  (options.trust ?? sharedServiceAccountTrust).set(clientEmail, { clientEmail, privateKeyId, publicKey, tokenUri });
  return { path, key, clientEmail };
}

export interface AccessTokenClaims {
  clientEmail: string;
  scopes: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type AccessTokenCheck =
  | { valid: true; claims: AccessTokenClaims }
  | { valid: false; reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED' | 'ACCESS_TOKEN_EXPIRED' };

/**
 * Issues and checks access tokens. A token carries its own claims under an HMAC, so a token
 * endpoint and the Vertex routes built with the same issuer agree without shared bookkeeping,
 * and anything the issuer did not sign is rejected.
 */
export class AccessTokenIssuer {
  readonly #secret = randomBytes(32);

  issue(claims: AccessTokenClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `ya29.${payload}.${this.#sign(payload)}`;
  }

  check(token: string, now = Date.now()): AccessTokenCheck {
    const [prefix, payload, signature] = token.split('.');
    if (prefix !== 'ya29' || !payload || !signature) return { valid: false, reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED' };
    const expected = Buffer.from(this.#sign(payload));
    const actual = Buffer.from(signature);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      return { valid: false, reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED' };
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims;
    if (claims.expiresAt <= now) return { valid: false, reason: 'ACCESS_TOKEN_EXPIRED' };
    return { valid: true, claims };
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#secret).update(payload).digest('base64url');
  }
}

export interface OAuthTokenRouteOptions {
  trust: ServiceAccountTrust;
  issuer: AccessTokenIssuer;
  /** `expires_in` of issued tokens (default 3600). */
  lifetimeSeconds?: number;
}

/** The token endpoint's error: `{ error, error_description }`, always 400 for a bad JWT grant. */
function sendOAuthError(exchange: Exchange, error: string, description: string): void {
  exchange.json(400, { error, error_description: description }, { 'content-type': 'application/json; charset=utf-8', ...NO_STORE });
}

const NO_STORE = { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' };

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function findAccount(trust: ServiceAccountTrust, header: Record<string, unknown>, issuer: unknown): TrustedServiceAccount | undefined {
  if (typeof header.kid === 'string') {
    for (const account of trust.values()) if (account.privateKeyId === header.kid) return account;
    return undefined;
  }
  return typeof issuer === 'string' ? trust.get(issuer) : undefined;
}

/** `POST /token`: the JWT-bearer grant of a service account, checked as Google checks it. */
export function createOAuthTokenRoute(options: OAuthTokenRouteOptions): VendorRoute {
  const lifetimeSeconds = options.lifetimeSeconds ?? 3600;
  return {
    vendor: 'oauth',
    method: 'POST',
    pattern: /^\/token$/,
    async handle(exchange) {
      const form = new URLSearchParams(exchange.request.rawBody.toString('utf8'));
      const grantType = form.get('grant_type');
      if (grantType !== JWT_BEARER_GRANT) {
        return sendOAuthError(exchange, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
      }
      const segments = (form.get('assertion') ?? '').split('.');
      const [encodedHeader, encodedPayload, encodedSignature] = segments;
      const header = encodedHeader === undefined ? undefined : decodeSegment(encodedHeader);
      const claims = encodedPayload === undefined ? undefined : decodeSegment(encodedPayload);
      if (segments.length !== 3 || !header || !claims || encodedSignature === undefined) {
        return sendOAuthError(exchange, 'invalid_request', 'Invalid JWT: malformed assertion.');
      }
      if (header.alg !== 'RS256') return sendOAuthError(exchange, 'invalid_grant', 'Invalid JWT Signature.');
      const account = findAccount(options.trust, header, claims.iss);
      if (!account || claims.iss !== account.clientEmail) {
        return sendOAuthError(exchange, 'invalid_grant', 'Invalid grant: account not found');
      }
      const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`);
      if (!verify('sha256', signed, account.publicKey, Buffer.from(encodedSignature, 'base64url'))) {
        return sendOAuthError(exchange, 'invalid_grant', 'Invalid JWT Signature.');
      }
      const ownUrl = `http://${exchange.request.headers.host ?? ''}/token`;
      if (claims.aud !== GOOGLE_TOKEN_URL && claims.aud !== account.tokenUri && claims.aud !== ownUrl) {
        return sendOAuthError(exchange, 'invalid_grant', 'Invalid JWT: Failed audience check.');
      }
      const now = Math.floor(Date.now() / 1000);
      const { iat, exp } = claims;
      if (
        typeof iat !== 'number' ||
        typeof exp !== 'number' ||
        iat > now + CLOCK_SKEW_SECONDS ||
        exp < now - CLOCK_SKEW_SECONDS ||
        exp - iat > MAX_ASSERTION_LIFETIME_SECONDS
      ) {
        return sendOAuthError(
          exchange,
          'invalid_grant',
          'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
        );
      }
      const scopes = typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : [];
      if (scopes.length === 0) {
        return sendOAuthError(exchange, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
      }
      const accessToken = options.issuer.issue({
        clientEmail: account.clientEmail,
        scopes,
        expiresAt: Date.now() + lifetimeSeconds * 1000,
      });
      exchange.json(
        200,
        { access_token: accessToken, expires_in: lifetimeSeconds, token_type: 'Bearer' },
        { 'content-type': 'application/json; charset=utf-8', ...NO_STORE },
      );
    },
  };
}

/**
 * google-auth-library posts service-account grants to Google's token URL, ignoring the key file's
 * `token_uri`. This fetch (for `transporterOptions.fetchImplementation`) sends those posts to the
 * emulator and everything else where it was going.
 */
export function emulatorTokenFetch(emulatorUrl: string): typeof fetch {
  const tokenUrl = `${emulatorUrl.replace(/\/$/, '')}/token`;
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url !== GOOGLE_TOKEN_URL) return fetch(input, init);
    return fetch(input instanceof Request ? new Request(tokenUrl, input) : tokenUrl, init);
  };
}
