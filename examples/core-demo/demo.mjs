// reg's core demo: a fallback chain surviving a failing primary, and round-robin spreading calls.
// The provider is scripted in-process (made with defineProvider, the same contract a vendor
// package implements), so this runs offline.
import { ClientRegistry, MemoryStateStore, RegError, defineProvider } from '@reg/core';

/** Each model answers per a script: 'ok', or an HTTP-like failure with its code. */
function scriptedProvider(scripts) {
  const turns = new Map();
  const answer = (model) => {
    const script = scripts[model] ?? ['ok'];
    const turn = turns.get(model) ?? 0;
    turns.set(model, turn + 1);
    const step = script[Math.min(turn, script.length - 1)];
    if (step !== 'ok') throw new RegError({ ...step, message: `${model}: ${step.code} (${step.status})` });
    return `hello from ${model}`;
  };
  return defineProvider({
    name: 'scripted',
    parseOptions: (raw) => raw,
    createModel: (options) => ({
      provider: 'scripted',
      model: options.model,
      async doGenerate() {
        return {
          content: [{ type: 'text', text: answer(options.model) }],
          finishReason: 'stop',
          usage: { inputTokens: 4, outputTokens: 4, totalTokens: 8 },
        };
      },
      async *doStream() {
        yield { type: 'text-delta', text: answer(options.model) };
        yield { type: 'finish', finishReason: 'stop', usage: { inputTokens: 4, outputTokens: 4, totalTokens: 8 } };
      },
    }),
  });
}

const overloaded = { code: 'overloaded', status: 529, retryable: true };
const provider = scriptedProvider({
  'claude-down': [overloaded],                       // the primary vendor is down for everyone
  'gpt-flaky': [{ code: 'rate_limited', status: 429, retryable: true, retryAfterMs: 50 }, 'ok'],
});

const registry = await ClientRegistry.fromConfig(
  {
    primary: 'Resilient',
    clients: [
      { name: 'Primary', provider: 'scripted', options: { model: 'claude-down' }, retry_policy: 'Quick' },
      { name: 'Backup', provider: 'scripted', options: { model: 'gpt-flaky' }, retry_policy: 'Quick' },
      { name: 'Resilient', provider: 'fallback', options: { strategy: ['Primary', 'Backup'] } },
      { name: 'Key1', provider: 'scripted', options: { model: 'key-1' } },
      { name: 'Key2', provider: 'scripted', options: { model: 'key-2' } },
      { name: 'Key3', provider: 'scripted', options: { model: 'key-3' } },
      { name: 'Spread', provider: 'round-robin', options: { strategy: ['Key1', 'Key2', 'Key3'] } },
    ],
    retry_policies: { Quick: { max_retries: 2, strategy: { type: 'exponential_backoff', delay_ms: 20, multiplier: 2, max_delay_ms: 200 } } },
  },
  { providers: [provider], store: new MemoryStateStore() },
);

const describeAttempts = (attempts) =>
  attempts
    .map((attempt) => {
      if (attempt.status === 'success') return `${attempt.client} ok`;
      if (attempt.status === 'skipped') return `${attempt.client} skipped (${attempt.code})`;
      const opened = attempt.gaveUp === 'circuit_open' ? ' (its breaker opens)' : '';
      return `${attempt.client} ${attempt.code} ${attempt.httpStatus ?? ''}`.trim() + opened;
    })
    .join(' -> ');

console.log('Fallback chain Resilient = [Primary (down: 529; its circuit breaker opens after 5 failures in a row), Backup (one 429, Retry-After 50 ms)]');
for (let call = 1; call <= 2; call++) {
  const result = await registry.generate({ messages: [{ role: 'user', content: 'Hi' }] });
  console.log(`  call ${call}: answered by ${result.client} (${result.model}) after ${result.attempts.length} attempts: ${describeAttempts(result.attempts)}`);
}

console.log('Round-robin Spread = [Key1, Key2, Key3]');
for (let call = 1; call <= 6; call++) {
  const result = await registry.generate({ messages: [{ role: 'user', content: 'Hi' }] }, { client: 'Spread' });
  console.log(`  call ${call}: answered by ${result.client} after ${result.attempts.length} attempt: ${describeAttempts(result.attempts)}`);
}

console.log('Stream through the fallback chain');
let text = '';
for await (const part of registry.stream({ messages: [{ role: 'user', content: 'Hi' }] })) {
  if (part.type === 'text-delta') text += part.text;
  if (part.type === 'finish') console.log(`  "${text}" from ${part.client} after ${part.attempts.length} attempts: ${describeAttempts(part.attempts)}`);
}
