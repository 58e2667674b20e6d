import { ConfigError, type ConfigIssue, type ProviderContext } from '@reg/core';

/** `inference_configuration`, in BAML's snake_case; mapped to Converse's `inferenceConfig`. */
export interface BedrockInferenceConfiguration {
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
}

/** The options of an `aws-bedrock` client, as a config gives them (BAML's names). */
export interface BedrockOptions {
  /** A model id (`anthropic.claude-3-5-haiku-20241022-v1:0`), an inference-profile id or an ARN. */
  model: string;
  /** Default: `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
  region?: string;
  access_key_id?: string;
  secret_access_key?: string;
  session_token?: string;
  /** A profile of the shared AWS config and credentials files. */
  profile?: string;
  /** Another endpoint than `https://bedrock-runtime.<region>.amazonaws.com` (VPC endpoint, proxy, emulator). */
  endpoint_url?: string;
  inference_configuration?: BedrockInferenceConfiguration;
  additional_model_request_fields?: Record<string, unknown>;
  /** Converse's top-level fields reg does not model (`guardrailConfig`, `performanceConfig`, ...), sent as given. */
  passthrough?: Record<string, unknown>;
}

const STRING_OPTIONS = ['region', 'access_key_id', 'secret_access_key', 'session_token', 'profile', 'endpoint_url'] as const;
const KNOWN_OPTIONS = ['model', ...STRING_OPTIONS, 'inference_configuration', 'additional_model_request_fields'];
const INFERENCE_KEYS = ['max_tokens', 'temperature', 'top_p', 'stop_sequences'];

/**
 * Converse's own top-level request fields. The SDK serialises only modelled members, so other
 * unknown options can reach the model only inside additionalModelRequestFields.
 */
const CONVERSE_FIELDS = [
  'guardrailConfig',
  'promptVariables',
  'additionalModelResponseFieldPaths',
  'requestMetadata',
  'performanceConfig',
  'serviceTier',
  'outputConfig',
];

export function parseBedrockOptions(raw: Record<string, unknown>, context: ProviderContext): BedrockOptions {
  const issues: ConfigIssue[] = [];
  const at = (key: string) => `${context.path}.${key}`;

  const model = raw.model;
  if (typeof model !== 'string' || model.trim() === '') {
    issues.push({ path: at('model'), message: 'must be a Bedrock model id, inference-profile id or ARN (e.g. anthropic.claude-3-5-haiku-20241022-v1:0)' });
  }
  const options: BedrockOptions = { model: typeof model === 'string' ? model : '' };

  for (const key of STRING_OPTIONS) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value === '') issues.push({ path: at(key), message: `must be a non-empty string, not ${describe(value)}` });
    else options[key] = value;
  }
  if (options.endpoint_url !== undefined && !isHttpUrl(options.endpoint_url)) {
    issues.push({ path: at('endpoint_url'), message: `must be an http(s) URL, not ${JSON.stringify(options.endpoint_url)}` });
  }
  if ((options.access_key_id === undefined) !== (options.secret_access_key === undefined)) {
    const missing = options.access_key_id === undefined ? 'access_key_id' : 'secret_access_key';
    issues.push({ path: at(missing), message: 'is required when access_key_id or secret_access_key is set: give both, or neither to use the AWS credential chain' });
  }
  if (options.session_token !== undefined && options.access_key_id === undefined) {
    issues.push({ path: at('session_token'), message: 'needs access_key_id and secret_access_key' });
  }

  const inference = parseInference(raw.inference_configuration, at('inference_configuration'), issues);
  if (inference) options.inference_configuration = inference;

  const additional = raw.additional_model_request_fields;
  if (additional !== undefined && additional !== null) {
    if (!isRecord(additional)) issues.push({ path: at('additional_model_request_fields'), message: `must be an object, not ${describe(additional)}` });
    else options.additional_model_request_fields = additional;
  }

  // Options reg does not know pass through, as in BAML: Converse's own top-level fields as they
  // are, anything else to the model in additionalModelRequestFields (e.g. Anthropic's `top_k`).
  const passthrough: Record<string, unknown> = {};
  const modelFields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (KNOWN_OPTIONS.includes(key) || value === undefined) continue;
    if (CONVERSE_FIELDS.includes(key)) passthrough[key] = value;
    else modelFields[key] = value;
  }
  if (Object.keys(passthrough).length > 0) options.passthrough = passthrough;
  if (Object.keys(modelFields).length > 0) {
    options.additional_model_request_fields = { ...modelFields, ...options.additional_model_request_fields };
  }

  if (issues.length > 0) throw new ConfigError(issues);
  return options;
}

function parseInference(raw: unknown, path: string, issues: ConfigIssue[]): BedrockInferenceConfiguration | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    issues.push({ path, message: `must be an object with ${INFERENCE_KEYS.join(', ')}, not ${describe(raw)}` });
    return undefined;
  }
  const inference: BedrockInferenceConfiguration = {};
  for (const [key, value] of Object.entries(raw)) {
    const where = `${path}.${key}`;
    if (value === undefined || value === null) continue;
    switch (key) {
      case 'max_tokens':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) issues.push({ path: where, message: `must be a whole number of at least 1, not ${describe(value)}` });
        else inference.max_tokens = value;
        break;
      case 'temperature':
      case 'top_p':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) issues.push({ path: where, message: `must be a number from 0 to 1, not ${describe(value)}` });
        else inference[key] = value;
        break;
      case 'stop_sequences':
        if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
          issues.push({ path: where, message: `must be a list of non-empty strings, not ${describe(value)}` });
        } else inference.stop_sequences = value as string[];
        break;
      default:
        issues.push({ path: where, message: `is not a known option (known: ${INFERENCE_KEYS.join(', ')})` });
    }
  }
  return inference;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `a list ${JSON.stringify(value)}`;
  return JSON.stringify(value) ?? String(value);
}
