#!/usr/bin/env node
import { main } from '../cli/main.js';
import { processContext } from '../cli/context.js';

const code = await main(process.argv.slice(2), processContext());
// Exit now rather than when kept-alive upstream sockets time out, once stdout and stderr are flushed.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(code);
