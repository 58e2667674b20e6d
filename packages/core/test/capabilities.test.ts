import { describe, expect, it } from 'vitest';
import { AllClientsFailedError, ClientRegistry, defineProvider, MemoryStateStore, RegError, type ChatRequest, type ProviderCapabilities } from '@reg/core';
import { createScriptedProvider } from './scripted-provider.js';

/** The scripted provider under another name, declaring `capabilities` (or nothing). */
function declaring(name: string, capabilities?: Partial<ProviderCapabilities>) {
  const scripted = createScriptedProvider(name);
  return { scripted, provider: defineProvider({ ...scripted.provider, ...(capabilities ? { capabilities } : {}) }) };
}

const pdf: ChatRequest = {
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise this.' }, { type: 'file', data: 'JVBERi0xLjcK', mediaType: 'application/pdf', filename: 'report.pdf' }] }],
};

describe('a request a provider cannot take is never sent to it', () => {
  it('skips the attempt with invalid_request naming the client, the part and what the provider takes', async () => {
    const text = declaring('text-only', { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: ['text/plain'] });
    const registry = new ClientRegistry({ providers: [text.provider], store: new MemoryStateStore() });
    registry.addLlmClient('Plain', 'text-only', { model: 'p' });
    const error = await registry.generate(pdf, { client: 'Plain' }).catch((thrown: unknown) => thrown);
    expect(RegError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_request', client: 'Plain', provider: 'text-only', retryable: false });
    expect((error as RegError).message).toBe(
      "Client 'Plain' (text-only) was skipped: it cannot take this request: messages[0].content[1] is a file of type application/pdf; it takes text/plain.",
    );
    expect(text.scripted.calls).toHaveLength(0);
    expect(text.scripted.modelsBuilt).toBe(0);
  });

  it('lets a fallback reach a member that can, with the skip in attempts', async () => {
    const none = declaring('no-files', { streaming: true, tools: true, images: true, jsonSchema: true });
    const documents = declaring('documents', { streaming: true, tools: true, images: true, jsonSchema: true, fileTypes: ['application/pdf', 'text/*'] });
    documents.scripted.script('d', [{ text: 'A summary.' }]);
    const registry = new ClientRegistry({ providers: [none.provider, documents.provider], store: new MemoryStateStore() });
    registry.addLlmClient('NoFiles', 'no-files', { model: 'n' });
    registry.addLlmClient('Documents', 'documents', { model: 'd' });
    registry.addLlmClient('Either', 'fallback', { strategy: ['NoFiles', 'Documents'] });
    const result = await registry.generate(pdf, { client: 'Either' });
    expect(result.text).toBe('A summary.');
    expect(result.attempts.map(({ client, status, code }) => ({ client, status, code }))).toEqual([
      { client: 'NoFiles', status: 'skipped', code: 'invalid_request' },
      { client: 'Documents', status: 'success', code: undefined },
    ]);
    expect(result.attempts[0]!.message).toMatch(/messages\[0\]\.content\[1\] is a file of type application\/pdf; it takes no files/);
    const streamed = [];
    for await (const part of registry.stream(pdf, { client: 'Either' })) streamed.push(part);
    expect(streamed[0]).toMatchObject({ type: 'start', client: 'Documents', attempts: [{ client: 'NoFiles', status: 'skipped' }] });
    expect(none.scripted.calls).toHaveLength(0);
  });

  it('passes a round-robin turn to the next member, and says so when none can', async () => {
    const none = declaring('no-tools', { streaming: true, tools: false, images: true, jsonSchema: true });
    const tools = declaring('tools', { streaming: true, tools: true, images: true, jsonSchema: true });
    const registry = new ClientRegistry({ providers: [none.provider, tools.provider], store: new MemoryStateStore() });
    registry.addLlmClient('A', 'no-tools', { model: 'a' });
    registry.addLlmClient('B', 'tools', { model: 'b' });
    registry.addLlmClient('Turns', 'round-robin', { strategy: ['A', 'B'] });
    registry.addLlmClient('OnlyA', 'round-robin', { strategy: ['A'] });
    const withTools: ChatRequest = { messages: [{ role: 'user', content: 'Weather?' }], tools: [{ name: 'weather', inputSchema: { type: 'object' } }] };
    for (let call = 0; call < 2; call++) expect((await registry.generate(withTools, { client: 'Turns' })).client).toBe('B');
    const error = await registry.generate(withTools, { client: 'OnlyA' }).catch((thrown: unknown) => thrown);
    expect(AllClientsFailedError.isInstance(error)).toBe(true);
    expect((error as AllClientsFailedError).openCircuits).toEqual([]);
    expect((error as Error).message).toMatch(/skipped \(cannot take this request\): A/);
  });

  it('checks images and JSON schemas too, and nothing for a provider that declares no capabilities', async () => {
    const plain = declaring('plain', { streaming: true, tools: true, images: false, jsonSchema: false });
    const silent = declaring('silent');
    const registry = new ClientRegistry({ providers: [plain.provider, silent.provider], store: new MemoryStateStore() });
    registry.addLlmClient('Plain', 'plain', { model: 'p' });
    registry.addLlmClient('Silent', 'silent', { model: 's' });
    const image: ChatRequest = { messages: [{ role: 'user', content: [{ type: 'image', image: 'https://example.com/cat.png' }] }] };
    const schema: ChatRequest = { messages: [{ role: 'user', content: 'JSON please' }], responseFormat: { type: 'json', schema: { type: 'object' } } };
    await expect(registry.generate(image, { client: 'Plain' })).rejects.toThrow('messages[0].content[0] is an image, and the provider takes none');
    await expect(registry.generate(schema, { client: 'Plain' })).rejects.toThrow('the request asks for JSON of a schema');
    for (const request of [image, schema, pdf]) expect((await registry.generate(request, { client: 'Silent' })).text).toBe('reply from s');
  });
});
