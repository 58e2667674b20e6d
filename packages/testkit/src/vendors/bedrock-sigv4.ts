import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RecordedRequest } from '../emulator/types.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
/** AWS rejects requests signed more than 15 minutes before or after its own clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** The shape of public, GovCloud, China and ISO region names (`us-east-1`, `us-gov-west-1`, `cn-north-1`). */
const REGION_PATTERN = /^(?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov|-iso|-isob)?-(?:east|west|north|south|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/** What the `Authorization` header of a SigV4-signed request claims. */
export interface SigV4Authorization {
  algorithm: string;
  accessKeyId: string;
  /** `YYYYMMDD` of the credential scope. */
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

export type SigV4Verdict =
  | { ok: true; authorization: SigV4Authorization }
  | {
      ok: false;
      status: number;
      /** The exception name AWS returns in `x-amzn-errortype`. */
      type: string;
      message: string;
      authorization?: SigV4Authorization;
    };

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/bedrock/aws4_request,
 * SignedHeaders=host;x-amz-date, Signature=hex`; undefined when the header is absent or is not
 * SigV4. Exported so tests can assert which region or key a client signed with.
 */
export function readSigV4Authorization(headers: IncomingHttpHeaders): SigV4Authorization | undefined {
  const header = headerValue(headers, 'authorization');
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const algorithm = header.slice(0, space);
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) return undefined;
  const scope = credential.split('/');
  if (scope.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = scope as [string, string, string, string, string];
  return { algorithm, accessKeyId, date, region, service, terminator, signedHeaders: signedHeaders.split(';'), signature };
}

/**
 * Checks a request's SigV4 signature the way an AWS front end does: the scope must name the
 * service, a region and the day of `x-amz-date`; `host` and `x-amz-date` must be signed; and the
 * signature recomputed with the secret over the canonical request must match. Failures carry the
 * status, exception name and message AWS answers with.
 */
export function verifySigV4(
  request: Pick<RecordedRequest, 'method' | 'path' | 'query' | 'headers' | 'rawBody'>,
  options: {
    service: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    /** The region the endpoint serves; unset accepts any valid region name. */
    region?: string;
    now?: Date;
  },
): SigV4Verdict {
  const header = headerValue(request.headers, 'authorization');
  if (!header) return { ok: false, status: 403, type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const authorization = readSigV4Authorization(request.headers);
  if (!authorization || authorization.algorithm !== ALGORITHM) {
    return {
      ok: false,
      status: 400,
      type: 'IncompleteSignatureException',
      message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters with algorithm ${ALGORITHM}. Authorization=${header.split(' ')[0]}`,
    };
  }
  const fail = (status: number, type: string, message: string): SigV4Verdict => ({ ok: false, status, type, message, authorization });

  if (authorization.accessKeyId !== options.credentials.accessKeyId) {
    return fail(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (headerValue(request.headers, 'x-amz-security-token') !== undefined) {
    return fail(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (!REGION_PATTERN.test(authorization.region)) return fail(403, 'InvalidSignatureException', 'Credential should be scoped to a valid region.');
  if (options.region !== undefined && authorization.region !== options.region) {
    return fail(403, 'InvalidSignatureException', `Credential should be scoped to a valid region, not '${authorization.region}'.`);
  }
  if (authorization.service !== options.service) {
    return fail(403, 'InvalidSignatureException', `Credential should be scoped to correct service: '${options.service}'.`);
  }
  if (authorization.terminator !== TERMINATOR) {
    return fail(403, 'InvalidSignatureException', `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${authorization.terminator}'.`);
  }
  const amzDate = headerValue(request.headers, 'x-amz-date');
  if (!amzDate) {
    return fail(400, 'IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) return fail(400, 'IncompleteSignatureException', `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'", not '${amzDate}'.`);
  if (amzDate.slice(0, 8) !== authorization.date) {
    return fail(
      403,
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${authorization.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const now = options.now ?? new Date();
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_CLOCK_SKEW_MS) {
    return fail(
      403,
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  // Over HTTP/2 the SDK signs the `:authority` pseudo-header in place of `host`; AWS takes either.
  if (!authorization.signedHeaders.includes('host') && !authorization.signedHeaders.includes(':authority')) {
    return fail(403, 'InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (!authorization.signedHeaders.includes('x-amz-date')) {
    return fail(403, 'InvalidSignatureException', "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const signatureMismatch = () =>
    fail(
      403,
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  // The service hashes the body it received; a declared hash that differs cannot have signed it.
  // Non-hash markers (`UNSIGNED-PAYLOAD`) are signed as they are.
  const bodyHash = createHash('sha256').update(request.rawBody).digest('hex');
  const declaredHash = headerValue(request.headers, 'x-amz-content-sha256');
  const declaresHash = declaredHash !== undefined && /^[0-9a-f]{64}$/i.test(declaredHash);
  if (declaresHash && declaredHash.toLowerCase() !== bodyHash) return signatureMismatch();
  const payloadHash = declaredHash && !declaresHash ? declaredHash : bodyHash;

  const canonicalRequest = [
    request.method,
    canonicalPath(request.path),
    canonicalQuery(request.query),
    ...authorization.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(request.headers, name)}`),
    '',
    authorization.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${authorization.date}/${authorization.region}/${authorization.service}/${TERMINATOR}`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = signingKey({ secretAccessKey: options.credentials.secretAccessKey, date: authorization.date, region: authorization.region, service: authorization.service });
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  if (expected !== authorization.signature) return signatureMismatch();
  return { ok: true, authorization };
}

function signingKey(input: { secretAccessKey: string; date: string; region: string; service: string }): Buffer {
  const dateKey = createHmac('sha256', `AWS4${input.secretAccessKey}`).update(input.date).digest();
  const regionKey = createHmac('sha256', dateKey).update(input.region).digest();
  const serviceKey = createHmac('sha256', regionKey).update(input.service).digest();
  return createHmac('sha256', serviceKey).update(TERMINATOR).digest();
}

/**
 * Every service but S3 signs the path URI-encoded once more than it travels: a model id
 * `anthropic.claude-v2:1` goes out as `anthropic.claude-v2%3A1` and is signed as
 * `anthropic.claude-v2%253A1`. Dot segments are resolved and empty segments dropped first.
 */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([key, value]) => [escapeUri(key), escapeUri(value)] as const)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** RFC 3986 unreserved characters stay; everything else is percent-encoded with upper-case hex. */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalHeaderValue(headers: IncomingHttpHeaders, name: string): string {
  // Host and `:authority` carry the same value; a request has whichever its HTTP version uses.
  const alias = name === 'host' ? ':authority' : name === ':authority' ? 'host' : undefined;
  const value = headerValue(headers, name) ?? (alias ? headerValue(headers, alias) : undefined) ?? '';
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
