// Preloaded into the reg serve process by bench/gateway.mjs (node --expose-gc --import): on SIGUSR2
// it collects garbage and prints the process's memory, so the memory check reads live data, not
// the heap V8 has grown and not yet collected.
process.on('SIGUSR2', () => {
  globalThis.gc();
  globalThis.gc();
  const { heapUsed, external, rss } = process.memoryUsage();
  process.stderr.write(`heap-report ${JSON.stringify({ heapMb: heapUsed / 2 ** 20, externalMb: external / 2 ** 20, rssMb: rss / 2 ** 20 })}\n`);
});
