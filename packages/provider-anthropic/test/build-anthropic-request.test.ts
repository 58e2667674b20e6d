import { TEST_CREDENTIALS } from '@reg/testkit';
import { callOptions, sentBody, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { anthropicModel } from './anthropic-test-client.js';

const emulator = useEmulator();
const hello = user('Hello');
const weather = { name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

describe('anthropic request mapping', () => {
  it('sends the defaults: max_tokens 4096, the key as the SDK sends it, the SDK anthropic-version', async () => {
    await anthropicModel(emulator.current, 'claude-defaults').doGenerate(hello, callOptions());
    const [request] = emulator.current.requests({ model: 'claude-defaults' });
    expect(request?.path).toBe('/v1/messages');
    expect(request?.body).toEqual({ model: 'claude-defaults', max_tokens: 4096, messages: [{ role: 'user', content: 'Hello' }] });
    // @anthropic-ai/sdk 1.x sends apiKey as a bearer token (the API takes it as it takes x-api-key).
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.anthropic}`);
    expect(request?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request?.headers['x-stainless-retry-count']).toBe('0');
  });

  it('applies client options, with the request winning and providerOptions.anthropic over all', async () => {
    const model = anthropicModel(emulator.current, 'claude-options', {
      max_tokens: 512,
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-7' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      anthropic_version: '2023-06-01',
      headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' },
      service_tier: 'auto',
    });
    await model.doGenerate(hello, callOptions());
    await model.doGenerate(
      { ...hello, maxTokens: 64, temperature: 0.7, topP: 0.5, stopSequences: ['STOP'], providerOptions: { anthropic: { top_k: 5, service_tier: 'standard_only' }, openai: { seed: 1 } } },
      callOptions(),
    );
    const [first, second] = emulator.current.requests({ model: 'claude-options' });
    expect(first?.body).toEqual({
      model: 'claude-options',
      max_tokens: 512,
      messages: [{ role: 'user', content: 'Hello' }],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-7' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      service_tier: 'auto',
    });
    expect(first?.headers['anthropic-version']).toBe('2023-06-01');
    expect(first?.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    expect(second?.body).toMatchObject({ max_tokens: 64, temperature: 0.7, top_p: 0.5, stop_sequences: ['STOP'], top_k: 5, service_tier: 'standard_only' });
    expect(second?.body).not.toHaveProperty('seed');
  });

  it('maps tool choices, and sends none without tools', async () => {
    const model = anthropicModel(emulator.current, 'claude-choice');
    for (const toolChoice of ['required', 'none', { type: 'tool', toolName: 'get_weather' }] as const) {
      await model.doGenerate({ ...hello, tools: [weather], toolChoice }, callOptions());
    }
    await model.doGenerate({ ...hello, toolChoice: 'required' }, callOptions());
    const choices = emulator.current.requests({ model: 'claude-choice' }).map((request) => (request.body as { tool_choice?: unknown }).tool_choice);
    expect(choices).toEqual([{ type: 'any' }, { type: 'none' }, { type: 'tool', name: 'get_weather' }, undefined]);
  });

  it('asks for JSON: with a schema through output_config.format, without one by instruction', async () => {
    const model = anthropicModel(emulator.current, 'claude-json');
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
    await model.doGenerate({ ...hello, responseFormat: { type: 'json', schema } }, callOptions());
    await model.doGenerate({ messages: [{ role: 'system', content: 'Extract the name.' }, ...hello.messages], responseFormat: { type: 'json' } }, callOptions());
    expect(sentBody(emulator.current, 'claude-json', 0).output_config).toEqual({ format: { type: 'json_schema', schema } });
    const instructed = sentBody(emulator.current, 'claude-json', 1);
    expect(instructed.output_config).toBeUndefined();
    expect(instructed.system).toMatch(/^Extract the name\.\n\nRespond with a single valid JSON value/);
  });
});
