import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientRegistry, ConfigError } from '@reg/core';
import { createScriptedProvider } from './scripted-provider.js';

const names = fc.constantFrom('A', 'B', 'C', 'D', 'bad/name', '', 'anthropic/claude');
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const options = fc.oneof(
  fc.record({ model: fc.oneof(fc.string(), anyValue), temperature: anyValue }, { requiredKeys: [] }),
  fc.record({ strategy: fc.oneof(fc.array(names, { maxLength: 4 }), anyValue), start: anyValue, total_timeout_ms: anyValue }, { requiredKeys: [] }),
  fc.record({ model: fc.constant('m'), http: fc.dictionary(fc.constantFrom('request_timeout_ms', 'idle_timeout_ms', 'nope'), anyValue) }),
  anyValue,
);
const client = fc.record(
  { name: fc.oneof(names, anyValue), provider: fc.constantFrom('scripted', 'fallback', 'round-robin', 'nope', ''), options, retry_policy: fc.oneof(fc.constantFrom('DefaultRetry', 'P', 'Missing'), fc.constant(null)) },
  { requiredKeys: ['name', 'provider'] },
);
const policy = fc.record({
  max_retries: fc.oneof(fc.integer({ min: -5, max: 500 }), anyValue),
  strategy: fc.oneof(
    fc.record({ type: fc.constantFrom('constant_delay', 'exponential_backoff', 'linear'), delay_ms: anyValue, multiplier: anyValue, max_delay_ms: anyValue }, { requiredKeys: ['type'] }),
    anyValue,
  ),
}, { requiredKeys: [] });
const config = fc.oneof(
  fc.record({ primary: fc.oneof(names, anyValue), clients: fc.oneof(fc.array(client, { maxLength: 6 }), anyValue), retry_policies: fc.oneof(fc.dictionary(fc.constantFrom('P', 'Q'), policy), anyValue) }, { requiredKeys: [] }),
  anyValue,
  fc.anything(),
);

describe('config (property)', () => {
  it('every config yields a registry or a ConfigError, never another exception', async () => {
    const scripted = createScriptedProvider();
    await fc.assert(
      fc.asyncProperty(config, async (candidate) => {
        try {
          const registry = await ClientRegistry.fromConfig(candidate as object, { providers: [scripted.provider], baseDir: '/nonexistent', env: {} });
          expect(registry).toBeInstanceOf(ClientRegistry);
        } catch (error) {
          if (!ConfigError.isInstance(error)) throw error;
          expect(error.issues.length).toBeGreaterThan(0);
          for (const issue of error.issues) expect(typeof issue.path).toBe('string');
        }
      }),
      { numRuns: 400 },
    );
  });
});
