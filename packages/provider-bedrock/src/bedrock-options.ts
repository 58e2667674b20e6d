import type { ProviderContext } from '@reg/core';
import { OptionReader } from '@reg/provider-utils';

/** `inference_configuration` (BAML's snake_case in a config): defaults for Converse's `inferenceConfig`. */
export interface BedrockInferenceConfiguration {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

/** The options of an `aws-bedrock` client, parsed. */
export interface BedrockOptions {
  /** A model id (`anthropic.claude-3-5-haiku-20241022-v1:0`), an inference-profile id or an ARN. */
  model: string;
  /** Default: `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** A profile of the shared AWS config and credentials files. */
  profile?: string;
  /** Another endpoint than `https://bedrock-runtime.<region>.amazonaws.com` (VPC endpoint, proxy, emulator). */
  endpointUrl?: string;
  inferenceConfiguration?: BedrockInferenceConfiguration;
  additionalModelRequestFields?: Record<string, unknown>;
  /** Converse's top-level fields reg does not model (`guardrailConfig`, `performanceConfig`, ...), sent as given. */
  passthrough?: Record<string, unknown>;
}

const INFERENCE_KEYS = ['max_tokens', 'temperature', 'top_p', 'stop_sequences'];

/**
 * Converse's own top-level request fields. The SDK serialises only modelled members, so other
 * unknown options can reach the model only inside additionalModelRequestFields.
 */
const CONVERSE_FIELDS = new Set([
  'guardrailConfig',
  'promptVariables',
  'additionalModelResponseFieldPaths',
  'requestMetadata',
  'performanceConfig',
  'serviceTier',
  'outputConfig',
]);

export function parseBedrockOptions(raw: Record<string, unknown>, context: ProviderContext): BedrockOptions {
  const reader = new OptionReader(raw, context);
  const model = reader.raw('model');
  if (typeof model?.value !== 'string' || model.value.trim() === '') {
    reader.fail('model', 'must be a Bedrock model id, inference-profile id or ARN (e.g. anthropic.claude-3-5-haiku-20241022-v1:0)');
  }
  const options: BedrockOptions = {
    model: typeof model?.value === 'string' ? model.value : '',
    region: reader.string('region'),
    accessKeyId: reader.string('access_key_id'),
    secretAccessKey: reader.string('secret_access_key', { secret: true }),
    sessionToken: reader.string('session_token', { secret: true }),
    profile: reader.string('profile'),
    endpointUrl: reader.string('endpoint_url', { url: true }),
    inferenceConfiguration: readInference(reader),
    additionalModelRequestFields: reader.record('additional_model_request_fields'),
  };
  // A key given but invalid counts as given: it is reported once, for what is wrong with it.
  const hasKeyId = reader.has('access_key_id');
  const hasSecret = reader.has('secret_access_key');
  if (hasKeyId !== hasSecret) {
    reader.fail(hasKeyId ? 'secret_access_key' : 'access_key_id', 'is required when access_key_id or secret_access_key is set: give both, or neither to use the AWS credential chain');
  }
  if (reader.has('session_token') && !hasKeyId) reader.fail('session_token', 'needs access_key_id and secret_access_key');

  // Options reg does not know pass through, as in BAML: Converse's own top-level fields as they
  // are, anything else to the model in additionalModelRequestFields (e.g. Anthropic's `top_k`).
  const passthrough: Record<string, unknown> = {};
  const modelFields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(reader.rest())) {
    if (CONVERSE_FIELDS.has(key)) passthrough[key] = value;
    else modelFields[key] = value;
  }
  if (Object.keys(passthrough).length > 0) options.passthrough = passthrough;
  if (Object.keys(modelFields).length > 0) options.additionalModelRequestFields = { ...modelFields, ...options.additionalModelRequestFields };

  reader.done();
  return options;
}

function readInference(reader: OptionReader): BedrockInferenceConfiguration | undefined {
  const raw = reader.record('inference_configuration', `{ ${INFERENCE_KEYS.join(', ')} }`);
  if (!raw) return undefined;
  const inner = new OptionReader(raw, reader.pathOf('inference_configuration'), reader.issues);
  const inference: BedrockInferenceConfiguration = {
    maxTokens: inner.number('max_tokens', { integer: true, min: 1 }),
    temperature: inner.number('temperature', { min: 0, max: 1 }),
    topP: inner.number('top_p', { min: 0, max: 1 }),
    stopSequences: inner.strings('stop_sequences', { nonEmpty: true }),
  };
  inner.rejectUnknown(INFERENCE_KEYS);
  return inference;
}
