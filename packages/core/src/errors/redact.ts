const REDACTED = '[redacted]';

// Shapes of credentials that vendors and SDKs put into messages. Each keeps a short,
// harmless prefix so a reader can tell which kind of key was involved.
const PATTERNS: Array<[RegExp, string]> = [
  [/\b(sk-(?:ant-|proj-|or-|svcacct-)?)[A-Za-z0-9_-]{6,}/g, `$1${REDACTED}`],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/-]+=*/gi, `$1${REDACTED}`],
  [/\b((?:AKIA|ASIA)[A-Z0-9]{4})[A-Z0-9]{12}\b/g, `$1${REDACTED}`],
  [/\b(Signature=)[0-9a-f]{16,}/gi, `$1${REDACTED}`],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, REDACTED],
  [/\bya29\.[0-9A-Za-z._-]+/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g, REDACTED],
  [/([?&](?:key|api_key|access_token|sig)=)[^&\s"']+/gi, `$1${REDACTED}`],
  [/(["']?(?:x-api-key|api-key|x-goog-api-key|authorization|x-amz-security-token)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, `$1${REDACTED}`],
];

/** Secrets shorter than this are not scrubbed by value: they would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * Removes credentials from text: the given secret values wherever they appear, and anything
 * shaped like an API key, bearer token, AWS key id, signature or JWT.
 */
export function redactSecrets(text: string, secrets?: Iterable<string>): string {
  let result = text;
  if (secrets) {
    for (const secret of secrets) {
      if (secret.length >= MIN_SECRET_LENGTH && result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
  }
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

const SECRET_OPTION = /(key|secret|token|password|credential|authorization|signature)/i;

/** Collects the string values of secret-looking options (any depth), for redaction by value. */
export function collectSecrets(value: unknown, into: Set<string> = new Set(), keyName = ''): Set<string> {
  if (typeof value === 'string') {
    if (SECRET_OPTION.test(keyName) && value.length >= MIN_SECRET_LENGTH) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, into, keyName);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) collectSecrets(item, into, SECRET_OPTION.test(keyName) ? keyName : key);
  }
  return into;
}
