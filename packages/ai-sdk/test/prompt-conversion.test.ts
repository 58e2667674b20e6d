import { UnsupportedFunctionalityError, type LanguageModelV4CallOptions, type LanguageModelV4ToolResultOutput } from '@ai-sdk/provider';
import { failure, sentBody as body, useEmulator } from '@reg/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { createReg } from '../src/index.js';
import { ANTHROPIC_MODEL, createRegistry, OPENAI_MODEL } from './helpers.js';

const emulator = useEmulator();

function toolTurn(output: LanguageModelV4ToolResultOutput): LanguageModelV4CallOptions['prompt'] {
  return [
    { role: 'user', content: [{ type: 'text', text: 'Use the tool.' }] },
    { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: { q: 'x' } }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'lookup', output }] },
  ];
}

describe('AI SDK prompts as reg requests (LanguageModelV4 called directly)', () => {
  it.each<[string, LanguageModelV4ToolResultOutput, { content: unknown; is_error?: boolean }]>([
    ['text', { type: 'text', value: 'found it' }, { content: 'found it' }],
    ['json', { type: 'json', value: { hits: 2 } }, { content: '{"hits":2}' }],
    ['error-text', { type: 'error-text', value: 'lookup failed' }, { content: 'lookup failed', is_error: true }],
    ['error-json', { type: 'error-json', value: { error: 'boom' } }, { content: '{"error":"boom"}', is_error: true }],
    ['execution-denied', { type: 'execution-denied', reason: 'user said no' }, { content: 'user said no', is_error: true }],
    ['content', { type: 'content', value: [{ type: 'text', text: 'line 1' }, { type: 'text', text: 'line 2' }] }, { content: 'line 1\nline 2' }],
  ])('maps a %s tool result', async (_kind, output, expected) => {
    const model = createReg({ registry: createRegistry(emulator.current) })('Claude');

    await model.doGenerate({ prompt: toolTurn(output) });

    const messages = body(emulator.current, ANTHROPIC_MODEL).messages as Array<{ content: Array<Record<string, unknown>> }>;
    const result = messages[2]?.content[0];
    expect(result).toMatchObject({ type: 'tool_result', tool_use_id: 'call_1' });
    const text = typeof result?.content === 'string' ? result.content : (result?.content as Array<{ text: string }>).map((block) => block.text).join('');
    expect(text).toBe(expected.content);
    expect(result?.is_error).toBe(expected.is_error);
  });

  it('drops reasoning and warns about assistant files; sends inline text documents as text', async () => {
    const model = createReg({ registry: createRegistry(emulator.current) })('Mini');

    const result = await model.doGenerate({
      prompt: [
        { role: 'user', content: [{ type: 'file', mediaType: 'text/plain', data: { type: 'text', text: 'notes.txt says hi' } }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'secret chain of thought' },
            { type: 'file', mediaType: 'image/png', data: { type: 'data', data: 'iVBORw0KGgo=' } },
            { type: 'text', text: 'Noted.' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
      ],
    });

    expect(body(emulator.current, OPENAI_MODEL).messages).toEqual([
      { role: 'user', content: 'notes.txt says hi' },
      { role: 'assistant', content: 'Noted.' },
      { role: 'user', content: 'Thanks' },
    ]);
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'assistant file parts' })]);
  });

  it("carries message- and part-level providerOptions to the parts, e.g. Anthropic's cacheControl", async () => {
    const model = createReg({ registry: createRegistry(emulator.current) })('Claude');
    const cache = { anthropic: { cacheControl: { type: 'ephemeral' } } };

    await model.doGenerate({
      prompt: [
        { role: 'system', content: 'Long instructions.', providerOptions: cache },
        { role: 'user', content: [{ type: 'text', text: 'Document' }, { type: 'text', text: 'Question' }], providerOptions: cache },
      ],
    });

    const sent = body(emulator.current, ANTHROPIC_MODEL);
    expect(sent.system).toEqual([{ type: 'text', text: 'Long instructions.', cache_control: { type: 'ephemeral' } }]);
    expect(sent.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Document' }, { type: 'text', text: 'Question', cache_control: { type: 'ephemeral' } }] },
    ]);
  });

  it('carries a file part with its media type, filename and providerOptions; message-level options land on it when it is last', async () => {
    const model = createReg({ registry: createRegistry(emulator.current) })('Claude');

    const result = await model.doGenerate({
      prompt: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Summarise.' },
            { type: 'file', mediaType: 'application/pdf', filename: 'report.pdf', data: { type: 'data', data: 'JVBERi0=' } },
          ],
          providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } },
        },
      ],
    });

    expect(result.request?.body).toEqual({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Summarise.' },
            { type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf', filename: 'report.pdf', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
          ],
        },
      ],
    });
  });

  it('refuses a provider file reference (any client of a strategy may answer) before any request', async () => {
    const model = createReg({ registry: createRegistry(emulator.current) })('Mini');

    const error = await failure(
      model.doGenerate({ prompt: [{ role: 'user', content: [{ type: 'file', mediaType: 'application/pdf', data: { type: 'reference', reference: { openai: 'file-abc' } } }] }] }),
    );

    expect(UnsupportedFunctionalityError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('cannot name a file uploaded to one vendor');
    expect(emulator.current.requests()).toHaveLength(0);
  });

  it('warns about provider-defined tools and sends only the function tools', async () => {
    const model = createReg({ registry: createRegistry(emulator.current) })('Mini');

    const result = await model.doGenerate({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Search' }] }],
      tools: [
        { type: 'provider', id: 'openai.web_search', name: 'web_search', args: {} },
        { type: 'function', name: 'lookup', inputSchema: { type: 'object', properties: {} } },
      ],
    });

    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported', feature: "provider-defined tool 'openai.web_search'" })]);
    expect((body(emulator.current, OPENAI_MODEL).tools as Array<{ function: { name: string } }>).map((tool) => tool.function.name)).toEqual(['lookup']);
  });

  it('returns tool calls with their input as a JSON string, and the request it sent', async () => {
    emulator.current.script(OPENAI_MODEL, { reply: { toolCalls: [{ id: 'call_9', name: 'lookup', arguments: { q: 'reg' } }] } });
    const model = createReg({ registry: createRegistry(emulator.current) })('Mini');

    const result = await model.doGenerate({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Look it up' }] }],
      tools: [{ type: 'function', name: 'lookup', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }],
    });

    expect(result.content).toEqual([{ type: 'tool-call', toolCallId: 'call_9', toolName: 'lookup', input: '{"q":"reg"}' }]);
    expect(result.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_calls' });
    expect(result.request?.body).toMatchObject({ messages: [{ role: 'user', content: 'Look it up' }], tools: [{ name: 'lookup' }] });
  });
});
