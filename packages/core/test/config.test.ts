import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientRegistry, ConfigError, MemoryStateStore } from '@reg/core';
import { createScriptedProvider, user } from './scripted-provider.js';

// Stand-ins named like the first-party providers, so configs written for them validate here.
const anthropic = createScriptedProvider('anthropic');
const openai = createScriptedProvider('openai');
const providers = [anthropic.provider, openai.provider];
const env = { TEST_OPENAI_KEY: 'sk-test-config-key' };

async function configError(source: string | object, options = {}): Promise<ConfigError> {
  const error = await ClientRegistry.fromConfig(source, { providers, env, ...options }).catch((thrown: unknown) => thrown);
  expect(ConfigError.isInstance(error)).toBe(true);
  return error as ConfigError;
}

describe('config', () => {
  it('loads the Beamlens fallback chain and round-robin from YAML', async () => {
    const registry = await ClientRegistry.fromConfig(new URL('./fixtures/beamlens.yaml', import.meta.url).pathname, { providers, env, store: new MemoryStateStore() });
    expect(registry.primary).toBe('PrimaryWithFallback');
    anthropic.script('claude-haiku-4-5-20251001', [{ text: 'from claude' }]);
    const result = await registry.generate(user('hi'));
    expect(result).toMatchObject({ client: 'Primary', text: 'from claude' });
    const answered = [];
    for (let index = 0; index < 4; index++) answered.push((await registry.generate(user('x'), { client: 'RoundRobinClient' })).client);
    expect(answered).toEqual(['Client1', 'Client2', 'Client1', 'Client2']);
  });

  it('loads JSON files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reg-config-'));
    const file = join(dir, 'reg.config.json');
    writeFileSync(file, JSON.stringify({ primary: 'Mini', clients: [{ name: 'Mini', provider: 'openai', options: { model: 'gpt-4o-mini' } }] }));
    const registry = await ClientRegistry.fromConfig(file, { providers, env });
    expect(registry.clientNames()).toEqual(['Mini']);
  });

  it("loads BAML's __baml_options__ body unchanged (retry_policy: null included)", async () => {
    const body = {
      resume: "John Doe's resume...",
      __baml_options__: {
        client_registry: {
          clients: [{ name: 'OpenAI', provider: 'openai', retry_policy: null, options: { model: 'gpt-5-mini', api_key: 'sk-...' } }],
          primary: 'OpenAI',
        },
      },
    };
    const registry = await ClientRegistry.fromConfig(body, { providers, env });
    expect(registry.primary).toBe('OpenAI');
  });

  it('reads ${NAME} from the environment at load, and names the path of a missing one', async () => {
    const config = { clients: [{ name: 'A', provider: 'openai', options: { model: 'm', api_key: '${MISSING_KEY}', base_url: '${BASE:-http://localhost:1}' } }] };
    const error = await configError(config);
    expect(error.issues).toEqual([{ path: 'clients[0].options.api_key', message: 'environment variable MISSING_KEY is not set' }]);
  });

  it('collects every problem, each with its path', async () => {
    const error = await configError({
      primary: 'Nowhere',
      clients: [
        { name: 'A', provider: 'openai', options: {} },
        { name: 'A', provider: 'openai', options: { model: 'm' } },
        { name: 'X', provider: 'no-such-llm', options: { model: 'm' } },
        { name: 'F', provider: 'fallback', options: { strategy: ['A', 'Ghost'] } },
        { name: 'E', provider: 'fallback', options: { strategy: [] } },
        { name: 'P', provider: 'fallback', options: { strategy: ['Q'] } },
        { name: 'Q', provider: 'round-robin', options: { strategy: ['P'] } },
        { name: 'R', provider: 'openai', options: { model: 'm', http: { request_timeout_ms: -5 } }, retry_policy: 'Unknown' },
      ],
      retry_policies: {
        Bad: { max_retries: 1000, strategy: { type: 'exponential_backoff', delay_ms: -1, multiplier: 0.5 } },
      },
    }, { baseDir: '/nonexistent' });
    const byPath = Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]));
    expect(byPath['clients[1].name']).toBe('duplicates the name of clients[0]');
    expect(byPath['retry_policies.Bad.max_retries']).toMatch(/at most 100/);
    expect(byPath['retry_policies.Bad.strategy.delay_ms']).toMatch(/at least 0/);
    expect(byPath['retry_policies.Bad.strategy.multiplier']).toMatch(/at least 1/);
    expect(byPath['clients[0].options.model']).toBe("is required for provider 'openai'");
    expect(byPath['clients[2].provider']).toMatch(/Unknown provider 'no-such-llm'/);
    expect(byPath['clients[3].options.strategy[1]']).toMatch(/'Ghost' is not a client/);
    expect(byPath['clients[4].options.strategy']).toBe('must name at least one client');
    expect(byPath['clients[5].options.strategy']).toBe('forms a cycle: P -> Q -> P');
    expect(byPath['clients[6].options.strategy']).toBe('forms a cycle: Q -> P -> Q');
    expect(byPath['clients[7].options.http.request_timeout_ms']).toMatch(/greater than 0/);
    expect(byPath['clients[7].retry_policy']).toMatch(/'Unknown' is not a retry policy/);
    expect(byPath.primary).toMatch(/'Nowhere' is not a client/);
    expect(error.message).toContain('clients[5].options.strategy: forms a cycle');
  });

  it('rejects unknown keys and wrong types with their paths', async () => {
    const error = await configError({ clientz: [], clients: [{ name: 'bad/name', provider: 7, options: 'x', extra: 1 }], plugins: [3] });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'clients[0].extra', 'clients[0].name', 'clients[0].options', 'clients[0].provider', 'clientz', 'plugins[0]',
    ]);
  });

  it('passes options a provider does not know through to it', async () => {
    const registry = await ClientRegistry.fromConfig({ clients: [{ name: 'A', provider: 'openai', options: { model: 'passthrough', seed: 7, logit_bias: { 1: 2 } } }] }, { providers, env });
    await registry.generate(user('x'), { client: 'A' });
    expect(openai.modelsBuilt).toBeGreaterThan(0);
  });

  it('reports an unreadable or unparsable file as a ConfigError', async () => {
    const missing = await configError('/nonexistent/reg.config.yaml');
    expect(missing.message).toMatch(/cannot read/);
    const dir = mkdtempSync(join(tmpdir(), 'reg-config-'));
    writeFileSync(join(dir, 'bad.yaml'), 'clients: [\n  - {name: A');
    expect((await configError(join(dir, 'bad.yaml'))).message).toMatch(/cannot parse/);
  });

  it('checks circuit_breaker and rate_limit_group, each problem with its path', async () => {
    const error = await configError({
      clients: [
        { name: 'A', provider: 'openai', options: { model: 'm', circuit_breaker: { failure_threshold: -1, failure_rate: 2, cooldown_ms: 0, half_open_probes: 0, window: 5 } } },
        { name: 'B', provider: 'openai', options: { model: 'm', circuit_breaker: false, rate_limit_group: 'org' } },
        { name: 'C', provider: 'openai', options: { model: 'm', circuit_breaker: 'on', rate_limit_group: 7 } },
      ],
    });
    const byPath = Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]));
    expect(byPath).toEqual({
      'clients[0].options.circuit_breaker.failure_threshold': 'must be at least 0, not -1',
      'clients[0].options.circuit_breaker.failure_rate': 'must be at most 1, not 2',
      'clients[0].options.circuit_breaker.cooldown_ms': 'must be greater than 0, not 0',
      'clients[0].options.circuit_breaker.half_open_probes': 'must be at least 1, not 0',
      'clients[0].options.circuit_breaker.window': expect.stringMatching(/is not a known option \(known: failure_threshold, .*rate_limit_cooldown_ms\)/),
      'clients[1].options.rate_limit_group': 'needs the circuit breaker, which circuit_breaker: false turns off',
      'clients[2].options.rate_limit_group': 'must be a name shared by the clients of one upstream quota',
      'clients[2].options.circuit_breaker': expect.stringMatching(/^must be false \(off\) or an object with failure_threshold/),
    });
  });
});
