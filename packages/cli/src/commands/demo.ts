import { startGateway, type RunningGateway } from '@reg/gateway';
import { startEmulator, type RunningEmulator } from '@reg/testkit';
import { integerFlag, parseCommand } from '../cli/command-spec.js';
import type { CliContext } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';
import { loadProviders } from '../cli/providers.js';
import { DEMO_CONFIG, demoEnv, scriptVendors } from '../demo/demo-config.js';
import { runDemoRequests, type DemoRow } from '../demo/demo-requests.js';
import { describeError, formatDuration } from '../output/describe.js';
import { formatTable } from '../output/table.js';
import { demoSpec } from './demo-spec.js';

export async function demo(args: string[], context: CliContext): Promise<number> {
  const { values } = parseCommand(demoSpec, args);
  const port = integerFlag(demoSpec, values, 'port', { min: 0, max: 65_535 }) ?? 0;
  let emulator: RunningEmulator | undefined;
  let gateway: RunningGateway | undefined;
  try {
    emulator = await startEmulator();
    scriptVendors(emulator);
    gateway = await startGateway({
      config: DEMO_CONFIG,
      port,
      insecureLocal: true,
      providers: await loadProviders(['anthropic', 'openai', 'google-ai', 'aws-bedrock']),
      env: demoEnv(emulator),
      // The table tells the story; the request log would interleave with it.
      log: () => undefined,
    });
    context.stdout.write(
      [
        `reg demo: vendor emulators at ${emulator.url}, the reg gateway at ${gateway.url}.`,
        'Today Claude is overloaded (529), Gemini is out of quota (429 for 30 s), Bedrock is unavailable (503),',
        'GPT mini asks to wait 1 s (429, Retry-After), and two keys share the load.',
        'The official openai SDK sends each request to the gateway:',
        '',
      ].join('\n'),
    );
    const rows = await runDemoRequests(gateway, (row) => context.stdout.write(`  ${row.request}: ${row.reply}\n`));
    context.stdout.write(`\n${demoTable(rows)}`);
    context.stdout.write(
      [
        '',
        "'answered by' and 'attempts' are the gateway's x-reg-client and x-reg-attempts response headers.",
        "A client that answered 429 with Retry-After cools down for that long: later calls skip it without a request.",
        "Try it yourself: reg serve --config reg.config.yaml, then point any OpenAI client at it.",
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  } catch (error) {
    context.stderr.write(`reg demo failed: ${describeError(error)}\n`);
    return EXIT.failed;
  } finally {
    await gateway?.close();
    await emulator?.close();
  }
}

function demoTable(rows: DemoRow[]): string {
  return formatTable(
    ['request', 'model asked', 'answered by', 'attempts', 'time', 'what happened'],
    rows.map((row) => [row.request, row.model, row.answeredBy, row.attempts, formatDuration(row.durationMs), row.path]),
  );
}
