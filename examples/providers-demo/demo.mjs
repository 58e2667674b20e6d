// reg's demo: one config, four vendors' official SDKs, and the local emulators of their APIs.
// It shows a fallback chain riding out failing vendors, a retry that waits as Retry-After asks,
// round-robin over two keys, and a stream. Everything runs offline, over real HTTP.
import { fileURLToPath } from 'node:url';
import { ClientRegistry } from '@reg/core';
import { startEmulator, TEST_CREDENTIALS } from '@reg/testkit';

const emulator = await startEmulator();
const env = {
  ANTHROPIC_BASE_URL: emulator.baseUrls.anthropic,
  ANTHROPIC_API_KEY: TEST_CREDENTIALS.anthropic,
  GEMINI_BASE_URL: emulator.baseUrls.gemini,
  GOOGLE_API_KEY: TEST_CREDENTIALS.gemini,
  BEDROCK_ENDPOINT_URL: emulator.baseUrls.bedrock,
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.aws.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.aws.secretAccessKey,
  OPENAI_BASE_URL: emulator.baseUrls.openai,
  OPENAI_API_KEY: TEST_CREDENTIALS.openai,
};

// How the vendors behave today (the emulator scripts each by model name).
const overloaded = { kind: 'status', status: 529 };
emulator.script('claude-sonnet-5-5', { sequence: [overloaded, overloaded, overloaded, overloaded, overloaded, overloaded] });
const exhausted = { kind: 'status', status: 429, type: 'RESOURCE_EXHAUSTED', retryAfterSeconds: 30 };
emulator.script('gemini-2.0-flash', { sequence: [exhausted, exhausted] });
const unavailable = { kind: 'status', status: 503, type: 'ServiceUnavailableException' };
emulator.script('anthropic.claude-3-5-haiku-20241022-v1:0', { sequence: [unavailable, unavailable] });
emulator.script('gpt-4o-mini', {
  reply: { text: 'Hello from GPT, the last in the chain.' },
  sequence: [{ kind: 'status', status: 429, retryAfterSeconds: 1 }, 'ok', 'ok'],
});
emulator.script('claude-haiku-4-5-20251001', { reply: { text: 'Balanced hello.' } });

const registry = await ClientRegistry.fromConfig(fileURLToPath(new URL('./reg.config.yaml', import.meta.url)), { env });
const describe = (attempts) =>
  attempts
    .map((a) => `${a.client} ${a.status === 'success' ? 'ok' : `${a.code}${a.httpStatus ? ` ${a.httpStatus}` : ''}`} (${Math.round(a.durationMs)} ms)`)
    .join(' -> ');

try {
  console.log('1. Fallback: Claude is overloaded, Gemini is out of quota for 30 s, Bedrock is unavailable,');
  console.log('   and GPT answers after the Retry-After of its own 429.');
  const started = performance.now();
  const first = await registry.generate({ messages: [{ role: 'user', content: 'Say hello.' }] });
  console.log(`   "${first.text}" from ${first.client} (${first.provider}) in ${Math.round(performance.now() - started)} ms`);
  console.log(`   attempts: ${describe(first.attempts)}`);

  console.log('\n2. Round-robin over two keys:');
  for (let call = 1; call <= 4; call++) {
    const result = await registry.generate({ messages: [{ role: 'user', content: `Call ${call}` }] }, { client: 'Balanced' });
    console.log(`   call ${call}: answered by ${result.client}; attempts: ${describe(result.attempts)}`);
  }

  console.log('\n3. A stream through the chain (Claude is still overloaded; GPT streams):');
  process.stdout.write('   ');
  for await (const part of registry.stream({ messages: [{ role: 'user', content: 'Stream a hello.' }] })) {
    if (part.type === 'text-delta') process.stdout.write(part.text);
    if (part.type === 'finish') {
      console.log(`\n   finished by ${part.client}: ${part.finishReason}, ${part.usage.totalTokens} tokens`);
      console.log(`   attempts: ${describe(part.attempts)}`);
    }
  }
} finally {
  await emulator.close();
}
