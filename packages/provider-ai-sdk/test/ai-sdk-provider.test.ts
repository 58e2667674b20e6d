import { ClientRegistry, ConfigError } from '@reg/core';
import { failure, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { aiSdk } from '../src/index.js';

describe('what the ai-sdk provider declares', () => {
  it('declares ambient credentials, its endpoint option and its capabilities', () => {
    expect(aiSdk).toMatchObject({
      name: 'ai-sdk',
      credentials: 'ambient',
      endpointOptions: ['base_url'],
      capabilities: { streaming: true, tools: true, images: true, jsonSchema: true },
    });
    expect(aiSdk.guardsConnections).toBeUndefined();
  });

  it('is refused by a registry that allows explicit credentials only, since AI SDK packages read process.env', async () => {
    const cr = new ClientRegistry({ providers: [aiSdk], env: {}, credentials: 'explicit' });
    cr.addLlmClient('Mistral', 'ai-sdk', { package: '@ai-sdk/mistral', model: 'mistral-large-latest' });
    const error = await failure(cr.generate(user('Hello'), { client: 'Mistral' }));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([{ path: "addLlmClient('Mistral').provider", message: expect.stringContaining('ambient server credentials') }]);
  });
});
