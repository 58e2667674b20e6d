import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientRegistry, MemoryStateStore, defineProvider, type ChatModel } from '@reg/core';
import { TEST_CREDENTIALS } from '@reg/testkit';
import { useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { anthropic } from '../src/index.js';

/**
 * The Anthropic configurations of /work/shared/reference (Beamlens' provider page and BAML's
 * client_registry page) as users paste them, in YAML: no base_url and no api_key, so the key comes
 * from ANTHROPIC_API_KEY and the emulator stands in through ANTHROPIC_BASE_URL.
 */
const emulator = useEmulator();
const hello = user('Hello');
const MODEL = 'claude-haiku-4-5-20251001';
const directory = mkdtempSync(join(tmpdir(), 'reg-anthropic-reference-'));

function env(): Record<string, string> {
  return { ANTHROPIC_API_KEY: TEST_CREDENTIALS.anthropic, ANTHROPIC_BASE_URL: emulator.current.baseUrls.anthropic };
}

async function load(name: string, yaml: string, providers: Parameters<typeof defineProvider>[0][] = []): Promise<ClientRegistry> {
  const file = join(directory, `${name}.yaml`);
  writeFileSync(file, yaml);
  return ClientRegistry.fromConfig(file, { providers: [anthropic, ...providers.map(defineProvider)], env: env(), store: new MemoryStateStore() });
}

describe('reference configurations', () => {
  it('Beamlens "Default: Anthropic": nothing configured, only ANTHROPIC_API_KEY', async () => {
    const cr = new ClientRegistry({ providers: [anthropic], env: env() });
    const result = await cr.generate(hello);
    expect(result).toMatchObject({ text: 'echo: Hello', provider: 'anthropic', model: MODEL });
    expect(emulator.current.requests({ model: MODEL })).toHaveLength(1);
  });

  it('Beamlens "Anthropic"', async () => {
    const cr = await load(
      'anthropic',
      `client_registry:
  primary: "Anthropic"
  clients:
    - name: "Anthropic"
      provider: "anthropic"
      options: {model: "claude-haiku-4-5-20251001"}
`,
    );
    const result = await cr.generate(hello);
    expect(result).toMatchObject({ client: 'Anthropic', model: MODEL, text: 'echo: Hello' });
    expect(emulator.current.requests({ model: MODEL })[0]?.body).toMatchObject({ model: MODEL, max_tokens: 4096 });
  });

  it('Beamlens "Retry Policy": DefaultRetry retries an overloaded Anthropic', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'status', status: 529 }] });
    const cr = await load(
      'retry',
      `client_registry:
  primary: "Anthropic"
  clients:
    - name: "Anthropic"
      provider: "anthropic"
      options: {model: "claude-haiku-4-5-20251001"}
      retry_policy: "DefaultRetry"
`,
    );
    const result = await cr.generate(hello);
    expect(result.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual(['overloaded', 'success']);
  });

  it('Beamlens "Round-Robin" over two Anthropic clients, in generate and stream', async () => {
    const cr = await load(
      'round-robin',
      `client_registry:
  primary: "RoundRobinClient"
  clients:
    - name: "Client1"
      provider: "anthropic"
      options: {model: "claude-haiku-4-5-20251001"}
    - name: "Client2"
      provider: "anthropic"
      options: {model: "claude-haiku-4-5-20251001"}
    - name: "RoundRobinClient"
      provider: "round-robin"
      options: {strategy: ["Client1", "Client2"]}
`,
    );
    const answered: string[] = [];
    for (let call = 0; call < 3; call++) answered.push((await cr.generate(hello)).client);
    for await (const part of cr.stream(hello)) if (part.type === 'start') answered.push(part.client);
    expect(answered).toEqual(['Client1', 'Client2', 'Client1', 'Client2']);
    expect(emulator.current.requests({ model: MODEL })).toHaveLength(4);
  });

  it('Beamlens "Fallback Chains": a failing Primary (anthropic) falls back to Backup', async () => {
    emulator.current.script(MODEL, { sequence: [{ kind: 'status', status: 401 }] });
    // A stand-in for @reg/provider-openai (another package): only the Anthropic side is under test here.
    const backup: ChatModel = {
      provider: 'openai',
      model: 'gpt-4o-mini',
      doGenerate: async () => ({ content: [{ type: 'text', text: 'from backup' }], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }),
      doStream: () => {
        throw new Error('not used');
      },
    };
    const cr = await load(
      'fallback',
      `client_registry:
  primary: "PrimaryWithFallback"
  clients:
    - name: "Primary"
      provider: "anthropic"
      options: {model: "claude-haiku-4-5-20251001"}
    - name: "Backup"
      provider: "openai"
      options: {model: "gpt-4o-mini"}
    - name: "PrimaryWithFallback"
      provider: "fallback"
      options: {strategy: ["Primary", "Backup"]}
`,
      [{ name: 'openai', parseOptions: (raw) => raw, createModel: () => backup }],
    );
    const result = await cr.generate(hello);
    expect(result).toMatchObject({ client: 'Backup', text: 'from backup' });
    expect(result.attempts.map((attempt) => [attempt.client, attempt.code ?? attempt.status])).toEqual([
      ['Primary', 'auth'],
      ['Backup', 'success'],
    ]);
  });

  it("BAML's addLlmClient / setPrimary and the anthropic/<model> shorthand", async () => {
    const cr = new ClientRegistry({ providers: [anthropic], env: env() });
    cr.addLlmClient('VariantA', 'anthropic', { model: 'claude-opus-4-5' });
    cr.setPrimary('VariantA');
    expect(await cr.generate(hello)).toMatchObject({ client: 'VariantA', model: 'claude-opus-4-5' });
    const shorthand = await cr.generate(hello, { client: 'anthropic/claude-opus-4-1-20250805' });
    expect(shorthand).toMatchObject({ client: 'anthropic/claude-opus-4-1-20250805', model: 'claude-opus-4-1-20250805' });
    expect(emulator.current.requests({ model: 'claude-opus-4-1-20250805' })).toHaveLength(1);
  });
});
