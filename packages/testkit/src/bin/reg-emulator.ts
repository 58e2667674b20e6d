#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { formatRequestLog } from '../emulator/request-log.js';
import { startEmulator } from '../emulator/start-emulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', short: 'p', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    log: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('reg-emulator [--port N] [--host 127.0.0.1] [--log]\n\n--log prints each request as it arrives, credentials redacted.\nServes the OpenAI, Azure OpenAI, OpenRouter, Anthropic, Bedrock, Gemini and Vertex AI emulators on one port.');
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`reg-emulator: --port must be a port number, not '${values.port}'`);
  process.exit(2);
}
const emulator = await startEmulator({
  port,
  host: values.host,
  onRequest: values.log ? (request) => console.log(formatRequestLog([request], { maxBodyChars: 2000 })) : undefined,
});
console.log(`reg emulator listening on ${emulator.url}`);
for (const [vendor, url] of Object.entries(emulator.baseUrls)) console.log(`  ${vendor.padEnd(11)} ${url}`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
