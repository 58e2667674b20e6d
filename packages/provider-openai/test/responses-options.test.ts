import { ClientRegistry, ConfigError, MissingCredentialsError } from '@reg/core';
import { describe, expect, it } from 'vitest';
import { failure, providerContext } from '@reg/testkit/vitest';
import { openaiResponses } from '../src/index.js';

function issuesOf(raw: Record<string, unknown>): Array<{ path: string; message: string }> {
  try {
    openaiResponses.parseOptions(raw, providerContext());
  } catch (error) {
    if (ConfigError.isInstance(error)) return (error as ConfigError).issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('openai-responses options', () => {
  it('rejects wrong types and ranges, naming each option by its path', () => {
    const issues = issuesOf({
      model: 'gpt-4.1',
      temperature: 'hot',
      top_p: 2,
      max_output_tokens: 0,
      store: 'yes',
      instructions: 42,
      reasoning: { effort: 3, summary: 'long' },
      text: { format: 'json' },
      truncation: 'sometimes',
      tools: { type: 'web_search' },
      metadata: 'x',
      base_url: 'not a url',
      headers: { 'x-a': { nested: true } },
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      [
        'base_url',
        'headers.x-a',
        'instructions',
        'max_output_tokens',
        'metadata',
        'reasoning.effort',
        'reasoning.summary',
        'store',
        'temperature',
        'text.format',
        'tools',
        'top_p',
        'truncation',
      ].map((key) => `clients[0].options.${key}`),
    );
    expect(issues.find((issue) => issue.path.endsWith('.temperature'))?.message).toMatch(/number/);
  });

  it('requires a model, and refuses stream, input, stop and ambiguous token limits', () => {
    const issues = issuesOf({ stream: true, input: 'hi', stop: ['x'], max_tokens: 10, max_output_tokens: 20, reasoning: { effort: 'low' }, reasoning_effort: 'high' });
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(
        ['model', 'stream', 'input', 'stop', 'max_tokens', 'reasoning_effort'].map((key) => `clients[0].options.${key}`),
      ),
    );
    expect(issues).toHaveLength(6);
  });

  it('translates Chat Completions spellings, keeps unknown options for the body, drops BAML-only ones', () => {
    const parsed = openaiResponses.parseOptions(
      {
        model: 'o4-mini',
        max_completion_tokens: 1000,
        reasoning: { summary: 'auto' },
        reasoning_effort: 'high',
        response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
        user: 'u-1',
        include: ['reasoning.encrypted_content'],
        allowed_role_metadata: ['cache_control'],
        supported_request_modes: { stream: true },
      },
      providerContext(),
    );
    expect(parsed.body).toEqual({
      max_output_tokens: 1000,
      reasoning: { summary: 'auto', effort: 'high' },
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
      user: 'u-1',
      include: ['reasoning.encrypted_content'],
    });
    expect(parsed.connection.model).toBe('o4-mini');
  });

  it('fails loading a config file, naming the client option by its path', async () => {
    const error = (await failure(
      ClientRegistry.fromConfig(
        { clients: [{ name: 'R', provider: 'openai-responses', options: { model: 'gpt-4.1', temperature: 5 } }], primary: 'R' },
        { providers: [openaiResponses], env: {} },
      ),
    )) as ConfigError;
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error.issues).toEqual([{ path: 'clients[0].options.temperature', message: 'must be at most 2, not 5' }]);
  });

  it('names the api_key option and OPENAI_API_KEY when no key is found, only when the client is called', async () => {
    const registry = new ClientRegistry({ providers: [openaiResponses], env: {} });
    registry.addLlmClient('NoKey', 'openai-responses', { model: 'gpt-4.1' });
    const error = (await failure(registry.generate({ messages: [{ role: 'user', content: 'hi' }] }, { client: 'NoKey' }))) as MissingCredentialsError;
    expect(MissingCredentialsError.isInstance(error)).toBe(true);
    expect(error.message).toContain("'NoKey'");
    expect(error.message).toContain('options.api_key');
    expect(error.message).toContain('OPENAI_API_KEY');
  });
});
