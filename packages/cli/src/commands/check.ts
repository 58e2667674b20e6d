import { ConfigError, RegError, type ClientRegistry } from '@reg/core';
import { integerFlag, parseCommand, stringFlag } from '../cli/command-spec.js';
import { CONFIG_FILE_NAMES, findConfigFile, leafClients, readConfigSummary, type ConfigClientSummary } from '../cli/config-file.js';
import type { CliContext } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';
import { openRegistry } from '../cli/open-registry.js';
import { UsageError } from '../cli/usage-error.js';
import { describeError, formatDuration } from '../output/describe.js';
import { ProgressLines } from '../output/progress.js';
import { formatTable } from '../output/table.js';
import { checkSpec } from './check-spec.js';


const PING_TIMEOUT_MS = 30_000;

interface PingResult {
  client: string;
  status: 'ok' | 'failed';
  latencyMs: number;
  code?: string;
  message?: string;
}

export async function check(args: string[], context: CliContext): Promise<number> {
  const { values } = parseCommand(checkSpec, args);
  const timeoutMs = integerFlag(checkSpec, values, 'timeout-ms', { min: 1, max: 3600 * 1000 }) ?? PING_TIMEOUT_MS;
  const json = values.json === true;
  const file = findConfigFile(stringFlag(values, 'config'), context.cwd);
  if (file === undefined) {
    throw new UsageError(`reg check: no config file in ${context.cwd} (looked for ${CONFIG_FILE_NAMES.join(', ')}); pass --config <file>`, 'check');
  }
  let registry: ClientRegistry;
  try {
    registry = await openRegistry({ configFile: file, env: context.env });
  } catch (error) {
    reportInvalid(error, file, json, context);
    return EXIT.failed;
  }
  const { clients } = await readConfigSummary(file);
  if (!json) {
    context.stdout.write(`${file} is valid: ${clients.length} client(s), primary ${registry.primary}\n\n`);
    context.stdout.write(clientTable(clients));
  }
  if (values.ping !== true) {
    if (json) writeJson(context, { valid: true, file, primary: registry.primary, clients });
    return EXIT.ok;
  }
  const leaves = leafClients(clients);
  if (!json) context.stderr.write(`\nPinging ${leaves.length} client(s):\n`);
  const results = await pingAll({ registry, leaves, timeoutMs, progress: json ? undefined : new ProgressLines(context.stderr, leaves) });
  const failed = results.filter((result) => result.status === 'failed');
  if (json) {
    writeJson(context, { valid: true, file, primary: registry.primary, clients, ping: results });
  } else {
    context.stdout.write(`\n${pingTable(results)}`);
    for (const result of failed) context.stdout.write(`\n${result.client}: [${result.code}] ${result.message}`);
    context.stdout.write(failed.length > 0 ? `\n\n${failed.length} of ${results.length} client(s) failed.\n` : `\nAll ${results.length} client(s) answered.\n`);
  }
  return failed.length > 0 ? EXIT.pingFailed : EXIT.ok;
}

function reportInvalid(error: unknown, file: string, json: boolean, context: CliContext): void {
  const issues = ConfigError.isInstance(error)
    ? error.issues
    : [{ path: '', message: RegError.isInstance(error) ? `[${error.code}] ${error.message}` : describeError(error) }];
  if (json) {
    writeJson(context, { valid: false, file, issues });
    return;
  }
  context.stderr.write(`${file} is invalid (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n`);
  for (const issue of issues) context.stderr.write(`  ${issue.path || '(file)'}: ${issue.message}\n`);
}

function clientTable(clients: ConfigClientSummary[]): string {
  const rows = clients.map((client) => [
    client.name,
    client.provider,
    client.strategy ? `[${client.strategy.join(', ')}]` : (client.model ?? '-'),
    client.strategy ? '-' : (client.retryPolicy ?? 'none'),
  ]);
  return formatTable(['client', 'provider', 'model', 'retry policy'], rows);
}

async function pingAll(options: { registry: ClientRegistry; leaves: string[]; timeoutMs: number; progress: ProgressLines | undefined }): Promise<PingResult[]> {
  return Promise.all(
    options.leaves.map(async (client, index) => {
      const startedAt = performance.now();
      let result: PingResult;
      try {
        await options.registry.generate({ messages: [{ role: 'user', content: 'ping' }], maxTokens: 5 }, { client, timeoutMs: options.timeoutMs });
        result = { client, status: 'ok', latencyMs: Math.round(performance.now() - startedAt) };
      } catch (error) {
        const regError = RegError.isInstance(error) ? error : undefined;
        result = {
          client,
          status: 'failed',
          latencyMs: Math.round(performance.now() - startedAt),
          code: regError?.code ?? 'error',
          message: firstLine(error instanceof Error ? error.message : String(error)),
        };
      }
      options.progress?.finish(index, result.status === 'ok' ? `ok  ${formatDuration(result.latencyMs)}` : `failed [${result.code}]  ${formatDuration(result.latencyMs)}`);
      return result;
    }),
  );
}

function pingTable(results: PingResult[]): string {
  const rows = results.map((result) => [result.client, result.status, formatDuration(result.latencyMs), result.code ?? '']);
  return formatTable(['client', 'status', 'latency', 'error code'], rows);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}

function writeJson(context: CliContext, value: unknown): void {
  context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
