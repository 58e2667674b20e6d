// The registry's added cost per call over calling the model directly, against a scripted model
// that answers at once. Both are measured in this run; the ratio is what to read.
import { ClientRegistry, MemoryStateStore, defineProvider } from '@reg/core';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2 };
const result = { content: [{ type: 'text', text: 'ok' }], finishReason: 'stop', usage };
const provider = defineProvider({
  name: 'instant',
  parseOptions: (raw) => raw,
  createModel: (options) => ({
    provider: 'instant',
    model: options.model,
    doGenerate: async () => result,
    async *doStream() {
      yield { type: 'text-delta', text: 'o' };
      yield { type: 'text-delta', text: 'k' };
      yield { type: 'finish', finishReason: 'stop', usage };
    },
  }),
});
const request = { messages: [{ role: 'user', content: 'hi' }] };

async function p50(run) {
  for (let index = 0; index < 2_000; index++) await run();
  const samples = new Float64Array(ITERATIONS);
  for (let index = 0; index < ITERATIONS; index++) {
    const startedAt = performance.now();
    await run();
    samples[index] = performance.now() - startedAt;
  }
  samples.sort();
  return samples[Math.floor(ITERATIONS / 2)] * 1000; // microseconds
}

async function drain(stream) {
  for await (const part of stream) void part;
}

function registryWith(clientCount, extra = {}) {
  const registry = new ClientRegistry({ providers: [provider], store: new MemoryStateStore() });
  for (let index = 0; index < clientCount; index++) registry.addLlmClient(`C${index}`, 'instant', { model: `m${index}`, ...extra });
  registry.setPrimary('C0');
  return registry;
}

const direct = provider.createModel({ model: 'm0' });
const call = { signal: new AbortController().signal, http: {}, client: 'direct' };
const directGenerate = await p50(() => direct.doGenerate(request, call));
const directStream = await p50(() => drain(direct.doStream(request, call)));

const rows = [];
for (const clients of [1, 100, 10_000]) {
  const registry = registryWith(clients);
  const generate = await p50(() => registry.generate(request));
  const stream = await p50(() => drain(registry.stream(request)));
  rows.push({ clients, generate, stream, registry });
}
const fallbackRegistry = registryWith(2);
fallbackRegistry.addLlmClient('F', 'fallback', { strategy: ['C0', 'C1'] });
const viaFallback = await p50(() => fallbackRegistry.generate(request, { client: 'F' }));
// The circuit breaker (on by default, as in every row above) against the same client without it.
const withoutBreaker = registryWith(1, { circuit_breaker: false });
const breakerOff = { generate: await p50(() => withoutBreaker.generate(request)), stream: await p50(() => drain(withoutBreaker.stream(request))) };
const breakerOn = { generate: await p50(() => rows[0].registry.generate(request)), stream: await p50(() => drain(rows[0].registry.stream(request))) };

const format = (value) => value.toFixed(2).padStart(7);
console.log(`@reg/core overhead (p50 of ${ITERATIONS} calls, µs; goal: added <= 20 µs, flat in client count)`);
console.log(`  direct model    generate ${format(directGenerate)}   stream ${format(directStream)}`);
for (const row of rows) {
  console.log(
    `  registry ${String(row.clients).padStart(6)} clients: generate ${format(row.generate)} (+${format(row.generate - directGenerate)}, x${(row.generate / directGenerate).toFixed(1)})` +
      `   stream ${format(row.stream)} (+${format(row.stream - directStream)}, x${(row.stream / directStream).toFixed(1)})`,
  );
}
console.log(`  through a fallback (first member answers): generate ${format(viaFallback)} (+${format(viaFallback - directGenerate)})`);
console.log(
  `  circuit breaker: generate ${format(breakerOn.generate)} on vs ${format(breakerOff.generate)} off (+${format(breakerOn.generate - breakerOff.generate)}, x${(breakerOn.generate / breakerOff.generate).toFixed(2)})` +
    `   stream ${format(breakerOn.stream)} on vs ${format(breakerOff.stream)} off (+${format(breakerOn.stream - breakerOff.stream)}, x${(breakerOn.stream / breakerOff.stream).toFixed(2)})`,
);
