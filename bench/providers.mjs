// reg's per-call cost over each official SDK: cr.generate / cr.stream through a provider against
// the same SDK called directly with the same request, at 1 and 64 concurrent calls, in one run.
// The emulator runs in a child process (latency 0), so its CPU is not counted as ours. Direct and
// reg batches alternate, so drift on a noisy machine hits both sides alike.
//
//   pnpm bench                          (from the repo root; builds first)
//   node bench/providers.mjs --calls 400 --rounds 5 --only anthropic
import { parseArgs } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { ClientRegistry, isProvider } from '@reg/core';
import { TEST_CREDENTIALS, vendorBaseUrls } from '@reg/testkit';
import { measure, median, PROMPT, startEmulatorProcess } from './measure.mjs';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '400' },
    rounds: { type: 'string', default: '7' },
    only: { type: 'string' },
  },
});
const CALLS = Number(args.calls);
const ROUNDS = Number(args.rounds);
const CONCURRENCY = [1, 64];

const emulator = await startEmulatorProcess();
const urls = vendorBaseUrls(emulator.url);
const messages = [{ role: 'user', content: PROMPT }];

/** Each target: the official SDK called directly, and the reg client configured the same way. */
const targets = [
  {
    name: 'openai',
    provider: ['@reg/provider-openai', 'openai'],
    options: { model: 'bench-gpt', base_url: urls.openai, api_key: TEST_CREDENTIALS.openai },
    sdk() {
      const client = new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: urls.openai, maxRetries: 0 });
      return {
        generate: () => client.chat.completions.create({ model: 'bench-gpt', messages }),
        stream: async () => {
          const stream = await client.chat.completions.create({ model: 'bench-gpt', messages, stream: true, stream_options: { include_usage: true } });
          for await (const chunk of stream) void chunk;
        },
      };
    },
  },
  {
    name: 'openai-responses',
    provider: ['@reg/provider-openai', 'openai-responses'],
    options: { model: 'bench-gpt-responses', base_url: urls.openai, api_key: TEST_CREDENTIALS.openai },
    sdk() {
      const client = new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: urls.openai, maxRetries: 0 });
      const input = [{ role: 'user', content: PROMPT }];
      return {
        generate: () => client.responses.create({ model: 'bench-gpt-responses', input }),
        stream: async () => {
          const stream = await client.responses.create({ model: 'bench-gpt-responses', input, stream: true });
          for await (const event of stream) void event;
        },
      };
    },
  },
  {
    name: 'anthropic',
    provider: ['@reg/provider-anthropic', 'anthropic'],
    options: { model: 'bench-claude', base_url: urls.anthropic, api_key: TEST_CREDENTIALS.anthropic },
    sdk() {
      const client = new Anthropic({ apiKey: TEST_CREDENTIALS.anthropic, baseURL: urls.anthropic, maxRetries: 0 });
      return {
        generate: () => client.messages.create({ model: 'bench-claude', max_tokens: 4096, messages }),
        stream: async () => {
          const stream = await client.messages.create({ model: 'bench-claude', max_tokens: 4096, messages, stream: true });
          for await (const event of stream) void event;
        },
      };
    },
  },
  {
    name: 'aws-bedrock',
    provider: ['@reg/provider-bedrock', 'aws-bedrock'],
    options: {
      model: 'bench-bedrock',
      region: 'us-east-1',
      endpoint_url: urls.bedrock,
      access_key_id: TEST_CREDENTIALS.aws.accessKeyId,
      secret_access_key: TEST_CREDENTIALS.aws.secretAccessKey,
    },
    sdk() {
      const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: urls.bedrock, credentials: TEST_CREDENTIALS.aws, maxAttempts: 1 });
      const input = { modelId: 'bench-bedrock', messages: [{ role: 'user', content: [{ text: PROMPT }] }] };
      return {
        generate: () => client.send(new ConverseCommand(input)),
        stream: async () => {
          const response = await client.send(new ConverseStreamCommand(input));
          for await (const event of response.stream ?? []) void event;
        },
      };
    },
  },
  {
    name: 'google-ai',
    provider: ['@reg/provider-google', 'google-ai'],
    options: { model: 'bench-gemini', base_url: urls.gemini, api_key: TEST_CREDENTIALS.gemini },
    sdk() {
      const ai = new GoogleGenAI({ apiKey: TEST_CREDENTIALS.gemini, httpOptions: { baseUrl: urls.gemini } });
      const contents = [{ role: 'user', parts: [{ text: PROMPT }] }];
      return {
        generate: () => ai.models.generateContent({ model: 'bench-gemini', contents }),
        stream: async () => {
          for await (const chunk of await ai.models.generateContentStream({ model: 'bench-gemini', contents })) void chunk;
        },
      };
    },
  },
].filter((target) => !args.only || target.name === args.only);

const rows = [];
try {
  for (const target of targets) {
    const provider = await loadProvider(...target.provider);
    const registry = new ClientRegistry({ providers: [provider], env: {} });
    registry.addLlmClient('Bench', target.provider[1], target.options);
    registry.setPrimary('Bench');
    const sdk = target.sdk();
    const request = { messages };
    const viaReg = {
      generate: () => registry.generate(request),
      stream: async () => {
        for await (const part of registry.stream(request)) void part;
      },
    };
    for (const mode of ['generate', 'stream']) {
      for (const concurrency of CONCURRENCY) {
        const direct = measure(sdk[mode], { concurrency, calls: CALLS });
        const reg = measure(viaReg[mode], { concurrency, calls: CALLS });
        await direct.warm();
        await reg.warm();
        for (let round = 0; round < ROUNDS; round++) {
          await direct.round();
          await reg.round();
        }
        rows.push(summarize(target.name, mode, concurrency, direct.rounds(), reg.rounds()));
        console.error(`  measured ${target.name} ${mode} x${concurrency}`);
      }
    }
  }
} finally {
  emulator.stop();
}

console.log(`\nreg over the official SDK, same run (${ROUNDS} alternating rounds of ${CALLS} calls; medians of per-round p50, CPU per call and ratios)`);
console.log('goal: added p50 <= max(2%, 20 us); CPU <= SDK + 5%\n');
console.log(
  ['provider', 'call', 'conc', 'sdk p50', 'reg p50', 'added p50', 'p50 ratio', 'sdk cpu', 'reg cpu', 'cpu ratio', 'goal'].map((h, i) => (i < 3 ? h.padEnd(i === 0 ? 17 : 9) : h.padStart(10))).join(''),
);
for (const row of rows) console.log(row.line);

/**
 * Ratios per pair of adjacent rounds (direct, then reg), then their median: a burst of noise
 * spoils one pair, not the result.
 */
function summarize(name, mode, concurrency, directRounds, regRounds) {
  const pairs = directRounds.map((direct, index) => ({ direct, reg: regRounds[index] }));
  const direct = { p50: median(directRounds.map((round) => round.p50)), cpu: median(directRounds.map((round) => round.cpu)) };
  const reg = { p50: median(regRounds.map((round) => round.p50)), cpu: median(regRounds.map((round) => round.cpu)) };
  const addedUs = median(pairs.map((pair) => (pair.reg.p50 - pair.direct.p50) * 1000));
  const p50Ratio = median(pairs.map((pair) => pair.reg.p50 / pair.direct.p50));
  const cpuRatio = median(pairs.map((pair) => pair.reg.cpu / pair.direct.cpu));
  const allowedUs = Math.max(0.02 * direct.p50 * 1000, 20);
  const ok = addedUs <= allowedUs && cpuRatio <= 1.05;
  const us = (ms) => `${(ms * 1000).toFixed(0)} us`;
  const line = [
    name.padEnd(17),
    mode.padEnd(9),
    String(concurrency).padEnd(9),
    us(direct.p50).padStart(10),
    us(reg.p50).padStart(10),
    `${addedUs >= 0 ? '+' : ''}${addedUs.toFixed(0)} us`.padStart(10),
    p50Ratio.toFixed(3).padStart(10),
    `${direct.cpu.toFixed(0)} us`.padStart(10),
    `${reg.cpu.toFixed(0)} us`.padStart(10),
    cpuRatio.toFixed(3).padStart(10),
    (ok ? 'met' : 'missed').padStart(10),
  ].join('');
  return { line, ok };
}

async function loadProvider(packageName, name) {
  const exports = await import(packageName);
  const provider = Object.values(exports).find((value) => isProvider(value) && value.name === name);
  if (!provider) throw new Error(`${packageName} exports no provider named ${name}`);
  return provider;
}
