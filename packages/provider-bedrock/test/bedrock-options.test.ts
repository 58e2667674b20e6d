import { ConfigError } from '@reg/core';
import { providerContext } from '@reg/testkit/vitest';
import { describe, expect, test } from 'vitest';
import { awsBedrock } from '../src/index.js';

const context = providerContext({ client: 'Bedrock', path: 'clients[2].options' });

function configIssues(raw: Record<string, unknown>): string[] {
  try {
    awsBedrock.parseOptions(raw, context);
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true);
    return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  return [];
}

describe('options validation', () => {
  test.each([
    [{ model: 'm', region: 5 }, /clients\[2\]\.options\.region: must be a non-empty string, not 5/],
    [{ model: 'm', endpoint_url: 'not a url' }, /endpoint_url: must be an http\(s\) URL/],
    [{ model: 'm', access_key_id: 'AKIAEXAMPLE' }, /options\.secret_access_key: is required when/],
    [{ model: 'm', secret_access_key: 'secret-value' }, /options\.access_key_id: is required when/],
    [{ model: 'm', session_token: 'token' }, /options\.session_token: needs access_key_id/],
    [{ model: 'm', inference_configuration: { max_tokens: 0 } }, /inference_configuration\.max_tokens: must be at least 1, not 0/],
    [{ model: 'm', inference_configuration: { max_tokens: 1.5 } }, /inference_configuration\.max_tokens: must be a whole number, not 1.5/],
    [{ model: 'm', inference_configuration: { temperature: 2 } }, /inference_configuration\.temperature: must be at most 1, not 2/],
    [{ model: 'm', inference_configuration: { top_p: -0.1 } }, /inference_configuration\.top_p: must be at least 0, not -0.1/],
    [{ model: 'm', inference_configuration: { stop_sequences: 'END' } }, /inference_configuration\.stop_sequences: must be a list/],
    [{ model: 'm', inference_configuration: { top_k: 5 } }, /inference_configuration\.top_k: is not a known option/],
    [{ model: 'm', inference_configuration: 5 }, /options\.inference_configuration: must be an object such as \{ max_tokens, temperature, top_p, stop_sequences \}/],
    [{ model: 'm', additional_model_request_fields: [1] }, /additional_model_request_fields: must be an object/],
    [{ model: '' }, /options\.model: must be a Bedrock model id/],
  ])('%o is rejected with its path', (raw, expected) => {
    expect(configIssues(raw).join('\n')).toMatch(expected);
  });

  test('every problem is reported at once, and a wrong secret is not echoed', () => {
    const issues = configIssues({ model: 'm', region: 5, access_key_id: 'AKIAEXAMPLE', secret_access_key: 42, inference_configuration: { temperature: 3 } });
    expect(issues).toEqual([
      'clients[2].options.region: must be a non-empty string, not 5',
      'clients[2].options.secret_access_key: must be a non-empty string',
      'clients[2].options.inference_configuration.temperature: must be at most 1, not 3',
    ]);
  });

  test('valid options parse to a plain, comparable object', () => {
    const parsed = awsBedrock.parseOptions(
      {
        model: 'm',
        region: 'us-east-1',
        inference_configuration: { max_tokens: 10, stop_sequences: ['END'] },
        guardrailConfig: { guardrailIdentifier: 'g', guardrailVersion: '1' },
        top_k: 4,
      },
      context,
    );
    expect(parsed).toEqual({
      model: 'm',
      region: 'us-east-1',
      inferenceConfiguration: { maxTokens: 10, stopSequences: ['END'] },
      passthrough: { guardrailConfig: { guardrailIdentifier: 'g', guardrailVersion: '1' } },
      additionalModelRequestFields: { top_k: 4 },
    });
  });

  test('explicit additional_model_request_fields win over unknown options of the same name', () => {
    const parsed = awsBedrock.parseOptions({ model: 'm', top_k: 4, anthropic_beta: ['x'], additional_model_request_fields: { top_k: 5 } }, context);
    expect(parsed.additionalModelRequestFields).toEqual({ top_k: 5, anthropic_beta: ['x'] });
  });
});
