import { readFile, writeFile } from 'node:fs/promises';
import { ApiError, GoogleGenAI } from '@google/genai';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { failure, useEmulator } from '../vitest.js';
import {
  AccessTokenIssuer,
  CLOUD_PLATFORM_SCOPE,
  GOOGLE_TOKEN_URL,
  createServiceAccountKey,
  emulatorTokenFetch,
  type ServiceAccountTrust,
} from './google-oauth.js';

const PROJECT = 'reg-project';
const LOCATION = 'us-central1';
// The SDK defaults to v1beta1 on Vertex AI (and v1 on the Gemini API).
const VERTEX_PATH = `/v1beta1/projects/${PROJECT}/locations/${LOCATION}/publishers/google/models`;

let keyPath: string;
let clientEmail: string;
const issuer = new AccessTokenIssuer();
const trust: ServiceAccountTrust = new Map();
const emulator = useEmulator({ google: { issuer, trust } });

beforeAll(async () => {
  ({ path: keyPath, clientEmail } = await createServiceAccountKey({ tokenUri: `${emulator.current.url}/token`, projectId: PROJECT, trust }));
});

function vertexClient(options: { keyFile?: string; headers?: Record<string, string> } = {}): GoogleGenAI {
  return new GoogleGenAI({
    vertexai: true,
    project: PROJECT,
    location: LOCATION,
    googleAuthOptions: {
      keyFile: options.keyFile ?? keyPath,
      clientOptions: { transporterOptions: { fetchImplementation: emulatorTokenFetch(emulator.current.url) } },
    },
    httpOptions: { baseUrl: emulator.current.url, headers: options.headers },
  });
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

/** The error a call rejects with; a call that succeeds fails the test. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return (await failure(promise)) as Error;
}

function decodeJwtPart(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('service-account key', () => {
  it('is a key file google-auth-library reads, with a PKCS#8 private key', async () => {
    const key = JSON.parse(await readFile(keyPath, 'utf8')) as Record<string, string>;
    expect(key).toMatchObject({ type: 'service_account', project_id: PROJECT, client_email: clientEmail, token_uri: `${emulator.current.url}/token` });
    expect(key.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(key.private_key_id).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('Vertex AI with a service account', () => {
  it('fetches one token through the JWT grant and reuses it for three calls', async () => {
    emulator.current.script('gemini-vertex', { reply: { text: 'from vertex', usage: { inputTokens: 3, outputTokens: 2 } } });
    const ai = vertexClient();
    for (let call = 0; call < 3; call++) {
      const response = await ai.models.generateContent({ model: 'gemini-vertex', contents: 'hi' });
      expect(response.text).toBe('from vertex');
      expect(response.usageMetadata).toMatchObject({ promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5, trafficType: 'ON_DEMAND' });
    }

    const tokenRequests = emulator.current.requests({ vendor: 'oauth' });
    expect(tokenRequests).toHaveLength(1);
    const form = new URLSearchParams(tokenRequests[0]?.rawBody.toString('utf8'));
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header, claims] = (form.get('assertion') ?? '').split('.');
    expect(decodeJwtPart(header)).toMatchObject({ alg: 'RS256' });
    expect(decodeJwtPart(claims)).toMatchObject({ iss: clientEmail, aud: GOOGLE_TOKEN_URL, scope: CLOUD_PLATFORM_SCOPE });

    const calls = emulator.current.requests({ vendor: 'vertex' });
    expect(calls.map((call) => call.path)).toEqual(Array(3).fill(`${VERTEX_PATH}/gemini-vertex:generateContent`));
    const bearers = new Set(calls.map((call) => call.headers.authorization));
    expect(bearers.size).toBe(1);
    expect([...bearers][0]).toMatch(/^Bearer ya29\./);
  });

  it('streams the same text as generateContent, usage only on the last chunk', async () => {
    emulator.current.script('gemini-vertex-stream', { reply: { text: 'Vertex streams in pieces.' }, chunkSize: 6 });
    const ai = vertexClient();
    const whole = await ai.models.generateContent({ model: 'gemini-vertex-stream', contents: 'go' });
    const chunks = [];
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-vertex-stream', contents: 'go' })) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(whole.text);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usageMetadata === undefined)).toBe(true);
    expect(chunks.at(-1)?.usageMetadata?.candidatesTokenCount).toBe(Math.ceil('Vertex streams in pieces.'.length / 4));
    expect(emulator.current.requests({ vendor: 'vertex' })[1]?.path).toBe(`${VERTEX_PATH}/gemini-vertex-stream:streamGenerateContent`);
  });

  it('renders Vertex errors with RetryInfo', async () => {
    emulator.current.script('gemini-vertex-limited', { sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 2 }] });
    const error = await apiError(vertexClient().models.generateContent({ model: 'gemini-vertex-limited', contents: 'x' }));
    expect(error.status).toBe(429);
    const body = JSON.parse(error.message) as { error: { status: string; message: string; details: unknown[] } };
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body.error.message).toContain('vertex-ai/generative-ai/docs/error-code-429');
    expect(body.error.details).toEqual([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }]);
  });
});

describe('Vertex AI bearer checks', () => {
  async function rejectedWith(token: string): Promise<{ status: number; body: { error: { status: string; details: Array<{ reason: string }> } } }> {
    const error = await apiError(vertexClient({ headers: { Authorization: `Bearer ${token}` } }).models.generateContent({ model: 'gemini-vertex', contents: 'x' }));
    return { status: error.status, body: JSON.parse(error.message) as never };
  }

  it('rejects a forged token with 401 UNAUTHENTICATED', async () => {
    const forged = `ya29.${Buffer.from(JSON.stringify({ clientEmail, scopes: [CLOUD_PLATFORM_SCOPE], expiresAt: Date.now() + 60_000 })).toString('base64url')}.forged`;
    const { status, body } = await rejectedWith(forged);
    expect(status).toBe(401);
    expect(body.error.status).toBe('UNAUTHENTICATED');
    expect(body.error.details[0]?.reason).toBe('ACCESS_TOKEN_TYPE_UNSUPPORTED');
  });

  it('rejects a token signed by another emulator', async () => {
    const foreign = new AccessTokenIssuer().issue({ clientEmail, scopes: [CLOUD_PLATFORM_SCOPE], expiresAt: Date.now() + 60_000 });
    expect((await rejectedWith(foreign)).status).toBe(401);
  });

  it('rejects an expired token, and one without the cloud-platform scope', async () => {
    const expired = await rejectedWith(issuer.issue({ clientEmail, scopes: [CLOUD_PLATFORM_SCOPE], expiresAt: Date.now() - 1 }));
    expect(expired.status).toBe(401);
    expect(expired.body.error.details[0]?.reason).toBe('ACCESS_TOKEN_EXPIRED');
    const narrow = await rejectedWith(issuer.issue({ clientEmail, scopes: ['https://www.googleapis.com/auth/devstorage.read_only'], expiresAt: Date.now() + 60_000 }));
    expect(narrow.status).toBe(403);
    expect(narrow.body.error.details[0]?.reason).toBe('ACCESS_TOKEN_SCOPE_INSUFFICIENT');
  });
});

describe('token endpoint', () => {
  it('refuses a key it does not trust', async () => {
    const stranger = await createServiceAccountKey({ trust: new Map() });
    const error = await rejection(vertexClient({ keyFile: stranger.path }).models.generateContent({ model: 'gemini-vertex', contents: 'x' }));
    expect(error.message).toBe('invalid_grant: Invalid grant: account not found');
    expect(emulator.current.requests({ vendor: 'oauth' })).toHaveLength(1);
    expect(emulator.current.requests({ vendor: 'vertex' })).toHaveLength(0);
  });

  it('refuses a JWT signed with another private key', async () => {
    const other = await createServiceAccountKey({ trust: new Map() });
    const tampered = JSON.parse(await readFile(keyPath, 'utf8')) as Record<string, string>;
    tampered.private_key = other.key.private_key;
    await writeFile(other.path, JSON.stringify(tampered));
    const error = await rejection(vertexClient({ keyFile: other.path }).models.generateContent({ model: 'gemini-vertex', contents: 'x' }));
    expect(error.message).toBe('invalid_grant: Invalid JWT Signature.');
  });
});

describe('Vertex AI express mode (API key)', () => {
  it('serves the project-less path with x-goog-api-key', async () => {
    const ai = new GoogleGenAI({ vertexai: true, apiKey: TEST_CREDENTIALS.vertexApiKey, httpOptions: { baseUrl: emulator.current.url } });
    const response = await ai.models.generateContent({ model: 'gemini-express', contents: 'ping' });
    expect(response.text).toBe('echo: ping');
    const [request] = emulator.current.requests({ vendor: 'vertex' });
    expect(request?.path).toBe('/v1beta1/publishers/google/models/gemini-express:generateContent');
    expect(request?.headers['x-goog-api-key']).toBe(TEST_CREDENTIALS.vertexApiKey);
    expect(request?.model).toBe('gemini-express');
    expect(emulator.current.requests({ vendor: 'oauth' })).toHaveLength(0);
  });

  it('serves the v1 API version too', async () => {
    const ai = new GoogleGenAI({ vertexai: true, apiKey: TEST_CREDENTIALS.vertexApiKey, apiVersion: 'v1', httpOptions: { baseUrl: emulator.current.url } });
    await ai.models.generateContent({ model: 'gemini-express', contents: 'ping' });
    expect(emulator.current.requests({ vendor: 'vertex' })[0]?.path).toBe('/v1/publishers/google/models/gemini-express:generateContent');
  });

  it('answers a wrong key with 400 API_KEY_INVALID for aiplatform', async () => {
    const ai = new GoogleGenAI({ vertexai: true, apiKey: TEST_CREDENTIALS.gemini, httpOptions: { baseUrl: emulator.current.url } });
    const error = await apiError(ai.models.generateContent({ model: 'gemini-express', contents: 'ping' }));
    expect(error.status).toBe(400);
    const body = JSON.parse(error.message) as { error: { details: Array<{ reason: string; metadata: { service: string } }> } };
    expect(body.error.details[0]).toMatchObject({ reason: 'API_KEY_INVALID', metadata: { service: 'aiplatform.googleapis.com' } });
  });
});
