import { AbortedError, AllClientsFailedError, type StreamPart } from '@reg/core';
import { integerFlag, parseCommand, stringFlag } from '../cli/command-spec.js';
import { findConfigFile } from '../cli/config-file.js';
import type { CliContext } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';
import { openRegistry } from '../cli/open-registry.js';
import { UsageError } from '../cli/usage-error.js';
import { describeAttempts, describeError, describeUsage, formatDuration } from '../output/describe.js';
import { chatSpec } from './chat-spec.js';


export async function chat(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseCommand(chatSpec, args);
  const timeoutMs = integerFlag(chatSpec, values, 'timeout-ms', { min: 1, max: 24 * 3600 * 1000 });
  const prompt = positionals[0] === '-' ? await readAll(context.stdin) : positionals[0]!;
  if (prompt.trim() === '') throw new UsageError('reg chat: the prompt is empty', 'chat');
  const controller = new AbortController();
  const interrupt = () => controller.abort(new AbortedError({ message: 'Interrupted (Ctrl-C).' }));
  process.once('SIGINT', interrupt);
  const startedAt = performance.now();
  let endsWithNewline = true;
  try {
    const client = stringFlag(values, 'client');
    const registry = await openRegistry({ configFile: findConfigFile(stringFlag(values, 'config'), context.cwd), env: context.env, client });
    let finish: Extract<StreamPart, { type: 'finish' }> | undefined;
    const stream = registry.stream(
      { messages: [{ role: 'user', content: prompt }] },
      { client, timeoutMs, signal: controller.signal },
    );
    for await (const part of stream) {
      if (part.type === 'text-delta') {
        context.stdout.write(part.text);
        endsWithNewline = part.text.endsWith('\n');
      } else if (part.type === 'finish') {
        finish = part;
      }
    }
    if (!endsWithNewline) context.stdout.write('\n');
    if (finish) {
      const summary = [
        `${finish.client} (${finish.provider} ${finish.model})`,
        `attempts: ${describeAttempts(finish.attempts)}`,
        describeUsage(finish.usage),
        formatDuration(performance.now() - startedAt),
      ];
      context.stderr.write(`-- ${summary.join(' | ')}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    if (!endsWithNewline) context.stdout.write('\n');
    context.stderr.write(`${describeError(error)}\n`);
    if (AllClientsFailedError.isInstance(error)) context.stderr.write(`attempts: ${describeAttempts(error.attempts)}\n`);
    return controller.signal.aborted ? 130 : EXIT.failed;
  } finally {
    process.off('SIGINT', interrupt);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
