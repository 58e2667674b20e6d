import { generateText, stepCountIs, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sentBody as body, useEmulator } from '@reg/testkit/vitest';
import { createReg } from '../src/index.js';
import { ANTHROPIC_MODEL, createRegistry, OPENAI_MODEL } from './helpers.js';

const emulator = useEmulator();

const weather = tool({
  description: 'The weather in a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, sky: 'sunny' }),
});

describe('tool calling through reg', () => {
  it('runs a tool and a second step with generateText and stopWhen', async () => {
    emulator.current.script(OPENAI_MODEL, {
      sequence: [{ toolCalls: [{ id: 'call_1', name: 'weather', arguments: { city: 'Paris' } }] }, { text: 'Sunny in Paris.' }],
    });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = await generateText({ model: reg('Mini'), prompt: 'Weather in Paris?', tools: { weather }, stopWhen: stepCountIs(2), maxRetries: 0 });

    expect(result.text).toBe('Sunny in Paris.');
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.finishReason).toBe('tool-calls');
    expect(result.steps[0]?.toolCalls).toMatchObject([{ toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } }]);
    expect(result.steps[0]?.toolResults).toMatchObject([{ toolCallId: 'call_1', output: { city: 'Paris', sky: 'sunny' } }]);
    expect(body(emulator.current, OPENAI_MODEL, 0)).toMatchObject({
      tools: [
        {
          type: 'function',
          function: { name: 'weather', description: 'The weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
        },
      ],
    });
    expect(body(emulator.current, OPENAI_MODEL, 1).messages).toMatchObject([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"city":"Paris","sky":"sunny"}' },
    ]);
  });

  it('streams tool input, the call, its result and the next step with streamText on Anthropic', async () => {
    emulator.current.script(ANTHROPIC_MODEL, {
      sequence: [{ toolCalls: [{ id: 'toolu_1', name: 'weather', arguments: { city: 'Oslo' } }] }, { text: 'Sunny in Oslo.' }],
      chunkSize: 5,
    });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    const result = streamText({ model: reg('Resilient'), prompt: 'Weather in Oslo?', tools: { weather }, stopWhen: stepCountIs(2), maxRetries: 0 });
    const parts = [];
    for await (const part of result.fullStream) parts.push(part);

    const toolParts = parts.filter((part) => part.type.startsWith('tool-'));
    expect(toolParts.map((part) => part.type)).toEqual(expect.arrayContaining(['tool-input-start', 'tool-input-delta', 'tool-input-end', 'tool-call', 'tool-result']));
    const input = parts.flatMap((part) => (part.type === 'tool-input-delta' ? [part.delta] : [])).join('');
    expect(JSON.parse(input)).toEqual({ city: 'Oslo' });
    expect(parts.find((part) => part.type === 'tool-call')).toMatchObject({ toolCallId: 'toolu_1', toolName: 'weather', input: { city: 'Oslo' } });
    expect(await result.text).toBe('Sunny in Oslo.');
    expect(body(emulator.current, ANTHROPIC_MODEL, 1).messages).toMatchObject([
      { role: 'user' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1' }] },
    ]);
  });

  it('maps toolChoice', async () => {
    emulator.current.script(OPENAI_MODEL, { reply: { toolCalls: [{ name: 'weather', arguments: { city: 'Rome' } }] } });
    const reg = createReg({ registry: createRegistry(emulator.current) });

    await generateText({ model: reg('Mini'), prompt: 'Rome?', tools: { weather }, toolChoice: { type: 'tool', toolName: 'weather' }, maxRetries: 0 });
    await generateText({ model: reg('Mini'), prompt: 'Rome?', tools: { weather }, toolChoice: 'required', maxRetries: 0 });

    expect(body(emulator.current, OPENAI_MODEL, 0).tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
    expect(body(emulator.current, OPENAI_MODEL, 1).tool_choice).toBe('required');
  });
});
