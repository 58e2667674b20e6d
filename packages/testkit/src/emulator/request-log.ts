import type { RecordedRequest } from './types.js';

/** Headers and query parameters that carry credentials in some vendor's API. */
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'x-amz-security-token', 'cookie', 'proxy-authorization']);
/** Any other vendor's credential header, by its name (`x-echo-key`, `x-acme-token`). */
const SECRET_HEADER_NAME = /(^|-)(key|token|secret|signature|credential|password)$/i;
const SECRET_QUERY = new Set(['key', 'api-key', 'api_key', 'access_token', 'x-amz-signature', 'x-amz-credential', 'x-amz-security-token']);
const SECRET_BODY_KEY = /^(api_?key|access_?token|refresh_?token|client_?secret|private_?key|password|secret|assertion)$/i;
const REDACTED = '[redacted]';

export interface FormatRequestLogOptions {
  /** Body characters shown per request (default 600); longer bodies are cut with a note. */
  maxBodyChars?: number;
  /** Show headers (default true). */
  headers?: boolean;
}

/**
 * The request log as text, for a failing test or a debugging session: one block per request, with
 * every credential (auth headers, signatures, `key=`, token-grant fields) replaced by `[redacted]`.
 */
export function formatRequestLog(requests: readonly RecordedRequest[], options: FormatRequestLogOptions = {}): string {
  const maxBodyChars = options.maxBodyChars ?? 600;
  const start = requests[0]?.receivedAt ?? 0;
  return requests
    .map((request, index) => {
      const query = Object.entries(request.query)
        .map(([name, value]) => `${name}=${SECRET_QUERY.has(name.toLowerCase()) ? REDACTED : value}`)
        .join('&');
      const lines = [
        `#${index + 1} +${Math.round(request.receivedAt - start)}ms ${request.vendor} ${request.method} ${request.path}${query ? `?${query}` : ''}` +
          ` (HTTP/${request.httpVersion}, connection ${request.connectionId}${request.model ? `, model ${request.model}` : ''}` +
          `${request.clientClosedAt === undefined ? '' : ', closed by the client'})`,
      ];
      if (options.headers ?? true) {
        for (const [name, value] of Object.entries(request.headers)) {
          if (name.startsWith(':')) continue;
          lines.push(`  ${name}: ${redactHeader(name, Array.isArray(value) ? value.join(', ') : String(value))}`);
        }
      }
      const body = bodyText(request);
      if (body) lines.push(`  ${body.length > maxBodyChars ? `${body.slice(0, maxBodyChars)}... (${body.length} chars)` : body}`);
      return lines.join('\n');
    })
    .join('\n');
}

function redactHeader(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name.toLowerCase()) && !SECRET_HEADER_NAME.test(name)) return value;
  // Keep the scheme and SigV4's public parts (date, region, service, signed headers): they explain 401s.
  if (value.startsWith('AWS4-HMAC-SHA256')) {
    return value.replace(/Credential=[^/,\s]+/, `Credential=${REDACTED}`).replace(/Signature=[0-9a-fA-F]+/, `Signature=${REDACTED}`);
  }
  const scheme = /^(Bearer|Basic)\s/i.exec(value)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

function bodyText(request: RecordedRequest): string {
  if (request.body !== undefined) return JSON.stringify(request.body, (key, value: unknown) => (SECRET_BODY_KEY.test(key) ? REDACTED : value));
  if (request.rawBody.length === 0) return '';
  const text = request.rawBody.toString('utf8');
  // Form bodies (the OAuth token grant) carry the signed assertion.
  if (request.headers['content-type']?.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(text);
    for (const key of [...form.keys()]) if (SECRET_BODY_KEY.test(key)) form.set(key, REDACTED);
    return form.toString();
  }
  return text;
}
