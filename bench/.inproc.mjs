import { ClientRegistry } from '@reg/core';
import { openai } from '@reg/provider-openai';
import OpenAI from 'openai';
const cr = new ClientRegistry({ providers: [openai], env: {} });
cr.addLlmClient('Bench', 'openai', { model: 'bench-gpt', base_url: 'http://127.0.0.1:18801/v1', api_key: 'sk-test-openai-0000' });
const sdk = new OpenAI({ apiKey: 'sk-test-openai-0000', baseURL: 'http://127.0.0.1:18801/v1', maxRetries: 0 });
const messages = [{ role: 'user', content: 'hi' }];
const time = async (label, fn, n = 300) => { const lat = []; for (let i = 0; i < n; i++) { const s = performance.now(); await fn(); lat.push(performance.now() - s); } lat.sort((a, b) => a - b); console.log(label.padEnd(20), 'p50 ms', lat[n >> 1].toFixed(2)); };
for (let k = 0; k < 2; k++) {
await time('sdk', () => sdk.chat.completions.create({ model: 'bench-gpt', messages }));
await time('reg generate', () => cr.generate({ messages }, { client: 'Bench' }));
}
