import { generateObject, generateText, Output } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sentBody as body, useEmulator } from '@reg/testkit/vitest';
import { createReg } from '../src/index.js';
import { ANTHROPIC_MODEL, createRegistry, OPENAI_MODEL } from './helpers.js';

const emulator = useEmulator();

const city = z.object({ name: z.string(), population: z.number() });

describe('structured output through reg', () => {
  it('generateText with Output.object sends the JSON schema and parses the answer', async () => {
    emulator.current.script(OPENAI_MODEL, { reply: { text: '{"name":"Lyon","population":522000}' } });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = await generateText({ model: reg('Mini'), prompt: 'A French city', output: Output.object({ schema: city }), maxRetries: 0 });

    expect(result.output).toEqual({ name: 'Lyon', population: 522000 });
    expect(body(emulator.current, OPENAI_MODEL).response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { schema: { type: 'object', properties: { name: { type: 'string' }, population: { type: 'number' } } } },
    });
  });

  it('generateObject works over a fallback that lands on Anthropic', async () => {
    emulator.current.script(ANTHROPIC_MODEL, { reply: { text: '{"name":"Graz","population":300000}' } });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = await generateObject({ model: reg('Resilient'), prompt: 'An Austrian city', schema: city, maxRetries: 0 });

    expect(result.object).toEqual({ name: 'Graz', population: 300000 });
    expect(result.providerMetadata?.reg).toMatchObject({ client: 'Claude' });
    expect(body(emulator.current, ANTHROPIC_MODEL).output_config).toMatchObject({ format: { type: 'json_schema', schema: { type: 'object' } } });
  });
});
