import { inspect } from 'node:util';
import { ClientRegistry, ConfigError, RegError } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { sentBody, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { anthropic } from '../src/index.js';

const emulator = useEmulator();
const hello = user('Hello');

async function configError(options: Record<string, unknown>): Promise<ConfigError> {
  const error = await ClientRegistry.fromConfig({ clients: [{ name: 'Claude', provider: 'anthropic', options }] }, { providers: [anthropic], env: {} }).catch((caught: unknown) => caught);
  expect(ConfigError.isInstance(error), `expected a ConfigError, got ${String(error)}`).toBe(true);
  return error as ConfigError;
}

describe('anthropic options', () => {
  it('rejects wrong types and ranges, naming each option by its path', async () => {
    const error = await configError({
      model: 'claude-haiku-4-5-20251001',
      temperature: 1.5,
      max_tokens: 0,
      top_k: 2.5,
      base_url: 'api.anthropic.com',
      headers: { 'anthropic-beta': 7 },
      stop_sequences: 'END',
      thinking: { budget_tokens: 1024 },
      metadata: 'user-7',
      stream: true,
    });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(
      [
        'clients[0].options.base_url',
        'clients[0].options.headers.anthropic-beta',
        'clients[0].options.max_tokens',
        'clients[0].options.metadata',
        'clients[0].options.stop_sequences',
        'clients[0].options.stream',
        'clients[0].options.temperature',
        'clients[0].options.thinking.type',
        'clients[0].options.top_k',
      ].sort(),
    );
    expect(error.message).toContain('clients[0].options.temperature: must be at most 1, not 1.5');
  });

  it('never echoes a malformed api_key', async () => {
    const error = await configError({ model: 'claude-x', api_key: ['sk-ant-secret-in-a-list'] });
    expect(error.issues).toEqual([{ path: 'clients[0].options.api_key', message: 'must be a non-empty string' }]);
    expect(inspect(error)).not.toContain('sk-ant-secret-in-a-list');
  });

  it('builds without a key, and the first call fails naming the client, option and variable', async () => {
    const cr = new ClientRegistry({ providers: [anthropic], env: {} });
    cr.addLlmClient('Claude', 'anthropic', { model: 'claude-haiku-4-5-20251001' });
    const error = await cr.generate(hello, { client: 'Claude' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'missing_credentials', client: 'Claude', provider: 'anthropic' });
    expect((error as RegError).message).toBe("Client 'Claude' (anthropic) has no credentials: set options.api_key or set the ANTHROPIC_API_KEY environment variable.");
  });

  it('reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL from the registry environment', async () => {
    const env = { ANTHROPIC_API_KEY: TEST_CREDENTIALS.anthropic, ANTHROPIC_BASE_URL: emulator.current.baseUrls.anthropic };
    const cr = new ClientRegistry({ providers: [anthropic], env });
    const result = await cr.generate(hello, { client: 'anthropic/claude-env' });
    expect(result.text).toBe('echo: Hello');
    expect(emulator.current.requests({ model: 'claude-env' })[0]?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.anthropic}`);
  });

  it('passes unknown options into the body and keeps BAML-only options out of it', async () => {
    const cr = await ClientRegistry.fromConfig(
      {
        clients: [
          {
            name: 'Claude',
            provider: 'anthropic',
            options: {
              model: 'claude-passthrough',
              api_key: TEST_CREDENTIALS.anthropic,
              base_url: emulator.current.baseUrls.anthropic,
              allowed_role_metadata: ['cache_control'],
              default_role: 'user',
              service_tier: 'auto',
              inference_geo: 'us',
            },
          },
        ],
      },
      { providers: [anthropic], env: {} },
    );
    await cr.generate(hello, { client: 'Claude' });
    const body = sentBody(emulator.current, 'claude-passthrough');
    expect(body).toMatchObject({ service_tier: 'auto', inference_geo: 'us', max_tokens: 4096 });
    expect(body).not.toHaveProperty('allowed_role_metadata');
    expect(body).not.toHaveProperty('default_role');
  });
});
