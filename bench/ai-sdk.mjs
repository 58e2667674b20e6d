// The AI SDK's generateText / streamText through @reg/ai-sdk (over reg's openai provider) against
// the same calls on the AI SDK's own @ai-sdk/openai-compatible, and the official openai SDK
// called directly, at 1 and 64 concurrent calls, in one run, against one emulator.
// The emulator runs in a child process (latency 0), so its CPU is not counted as ours. The three
// sides alternate round by round, so drift on a noisy machine hits them alike.
//
//   pnpm bench                          (from the repo root; builds first)
//   node bench/ai-sdk.mjs --calls 400 --rounds 5
import { parseArgs } from 'node:util';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createReg } from '@reg/ai-sdk';
import { ClientRegistry } from '@reg/core';
import { openai } from '@reg/provider-openai';
import { TEST_CREDENTIALS, vendorBaseUrls } from '@reg/testkit';
import { generateText, streamText } from 'ai';
import OpenAI from 'openai';
import { measure, median, PROMPT, startEmulatorProcess } from './measure.mjs';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '400' },
    rounds: { type: 'string', default: '7' },
  },
});
const CALLS = Number(args.calls);
const ROUNDS = Number(args.rounds);
const CONCURRENCY = [1, 64];
const MODEL = 'bench-gpt';

// The AI SDK would print a line per call for anything it considers a warning.
globalThis.AI_SDK_LOG_WARNINGS = false;

const emulator = await startEmulatorProcess();
const urls = vendorBaseUrls(emulator.url);

/** One way of making the call; `generate` and `stream` each run one call to completion. */
function viaAiSdk(model) {
  return {
    generate: () => generateText({ model, prompt: PROMPT, maxRetries: 0 }),
    stream: async () => {
      const result = streamText({ model, prompt: PROMPT, maxRetries: 0 });
      for await (const part of result.fullStream) void part;
    },
  };
}

const sides = {
  // The baseline under both: the official SDK, as bench/providers.mjs calls it.
  sdk: (() => {
    const client = new OpenAI({ apiKey: TEST_CREDENTIALS.openai, baseURL: urls.openai, maxRetries: 0 });
    const messages = [{ role: 'user', content: PROMPT }];
    return {
      generate: () => client.chat.completions.create({ model: MODEL, messages }),
      stream: async () => {
        const stream = await client.chat.completions.create({ model: MODEL, messages, stream: true, stream_options: { include_usage: true } });
        for await (const chunk of stream) void chunk;
      },
    };
  })(),
  // The AI SDK alone, with its own OpenAI-compatible provider (fetch, its own SSE parser).
  aiSdk: viaAiSdk(createOpenAICompatible({ name: 'bench', baseURL: urls.openai, apiKey: TEST_CREDENTIALS.openai, includeUsage: true })(MODEL)),
  // The AI SDK over reg: @reg/ai-sdk -> ClientRegistry -> reg's openai provider -> the openai SDK.
  reg: (() => {
    const registry = new ClientRegistry({ providers: [openai], env: {} });
    registry.addLlmClient('Bench', 'openai', { model: MODEL, base_url: urls.openai, api_key: TEST_CREDENTIALS.openai });
    return viaAiSdk(createReg({ registry })('Bench'));
  })(),
};

const rows = [];
try {
  for (const mode of ['generate', 'stream']) {
    for (const concurrency of CONCURRENCY) {
      const measured = Object.fromEntries(Object.entries(sides).map(([name, side]) => [name, measure(side[mode], { concurrency, calls: CALLS })]));
      for (const side of Object.values(measured)) await side.warm();
      for (let round = 0; round < ROUNDS; round++) {
        for (const side of Object.values(measured)) await side.round();
      }
      rows.push(summarize(mode, concurrency, measured.sdk.rounds(), measured.aiSdk.rounds(), measured.reg.rounds()));
      console.error(`  measured ${mode} x${concurrency}`);
    }
  }
} finally {
  emulator.stop();
}

console.log(`\nAI SDK over reg vs the AI SDK alone vs the openai SDK, same run (${ROUNDS} alternating rounds of ${CALLS} calls; medians of per-round p50, CPU per call and ratios)`);
console.log('sdk = openai SDK direct; ai-sdk = ai + @ai-sdk/openai-compatible; reg = ai + @reg/ai-sdk + @reg/provider-openai');
console.log('goal: reg within 5% of ai-sdk (p50 and CPU ratios <= 1.05)\n');
const headers = ['call', 'conc', 'sdk p50', 'ai-sdk p50', 'reg p50', 'reg/ai p50', 'sdk cpu', 'ai-sdk cpu', 'reg cpu', 'reg/ai cpu', 'ai/sdk cpu', 'reg/sdk cpu', 'goal'];
console.log(headers.map((header, index) => (index < 2 ? header.padEnd(9) : header.padStart(12))).join(''));
for (const row of rows) console.log(row.line);

/**
 * Ratios per round (the sides ran one after another in it), then their median: a burst of noise
 * spoils one round, not the result.
 */
function summarize(mode, concurrency, sdkRounds, aiRounds, regRounds) {
  const mid = (rounds, key) => median(rounds.map((round) => round[key]));
  const ratio = (over, under, key) => median(over.map((round, index) => round[key] / under[index][key]));
  const regOverAi = { p50: ratio(regRounds, aiRounds, 'p50'), cpu: ratio(regRounds, aiRounds, 'cpu') };
  const ok = regOverAi.p50 <= 1.05 && regOverAi.cpu <= 1.05;
  const us = (ms) => `${(ms * 1000).toFixed(0)} us`;
  const cells = [
    us(mid(sdkRounds, 'p50')),
    us(mid(aiRounds, 'p50')),
    us(mid(regRounds, 'p50')),
    regOverAi.p50.toFixed(3),
    `${mid(sdkRounds, 'cpu').toFixed(0)} us`,
    `${mid(aiRounds, 'cpu').toFixed(0)} us`,
    `${mid(regRounds, 'cpu').toFixed(0)} us`,
    regOverAi.cpu.toFixed(3),
    ratio(aiRounds, sdkRounds, 'cpu').toFixed(3),
    ratio(regRounds, sdkRounds, 'cpu').toFixed(3),
    ok ? 'met' : 'missed',
  ];
  const line = [mode.padEnd(9), String(concurrency).padEnd(9), ...cells.map((cell) => cell.padStart(12))].join('');
  return { line, ok };
}
