import { randomUUID } from 'node:crypto';
import { TEST_CREDENTIALS } from '../emulator/credentials.js';
import { echoReply, isFault } from '../emulator/script-store.js';
import { usageOf } from '../emulator/serve-outcome.js';
import { applyTransportFaults } from '../emulator/transport-faults.js';
import type { Exchange, VendorRoute } from '../emulator/types.js';
import { converseStreamPlan, renderConverseResponse, validateConverseRequest } from './bedrock-converse.js';
import { sendBedrockError, sendBedrockFault } from './bedrock-errors.js';
import { verifySigV4 } from './bedrock-sigv4.js';

/** The SigV4 signing name of Bedrock Runtime (its endpoint host says `bedrock-runtime`, the scope `bedrock`). */
const SIGNING_SERVICE = 'bedrock';

/**
 * Bedrock Runtime's Converse API. The model id is a path label, so `:` and an ARN's `/` arrive
 * percent-encoded (`/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse`); the recorded
 * model is the decoded id.
 */
export function createBedrockRoutes(routeOptions: BedrockRoutesOptions = {}): VendorRoute[] {
  const region = routeOptions.region ?? DEFAULT_REGION;
  return [
    {
      vendor: 'bedrock',
      method: 'POST',
      pattern: /^\/model\/(?<modelId>[^/]+)\/converse$/,
      handle: (exchange) => handleConverse(exchange, { stream: false, region }),
    },
    {
      vendor: 'bedrock',
      method: 'POST',
      pattern: /^\/model\/(?<modelId>[^/]+)\/converse-stream$/,
      handle: (exchange) => handleConverse(exchange, { stream: true, region }),
    },
  ];
}

export interface BedrockRoutesOptions {
  /**
   * The region this endpoint serves (default `us-east-1`): as with a real regional endpoint, a
   * signature scoped to another region is refused, so a misconfigured region shows in a test.
   * `'any'` accepts every valid region name.
   */
  region?: string;
}

const DEFAULT_REGION = 'us-east-1';

/** The routes of an endpoint in `us-east-1`. */
export const bedrockRoutes: VendorRoute[] = createBedrockRoutes();

async function handleConverse(exchange: Exchange, options: { stream: boolean; region: string }): Promise<void> {
  const modelId = exchange.params.modelId ?? '';
  // Requests the service rejects before inference still name their model, without using up a scripted outcome.
  const reject = (error: Parameters<typeof sendBedrockError>[1]) => {
    exchange.request.model = modelId;
    sendBedrockError(exchange, error);
  };

  const verdict = verifySigV4(exchange.request, {
    service: SIGNING_SERVICE,
    credentials: TEST_CREDENTIALS.aws,
    region: options.region === 'any' ? undefined : options.region,
  });
  if (!verdict.ok) return reject({ status: verdict.status, type: verdict.type, message: verdict.message, frontEnd: true });
  const validation = validateConverseRequest(exchange.request.body);
  if (!validation.ok) return reject({ status: 400, type: 'ValidationException', message: validation.message });

  const { script, outcome } = exchange.take(modelId);
  if (await applyTransportFaults(exchange, script, outcome, options)) return;
  if (isFault(outcome) && outcome.kind === 'status') return sendBedrockFault(exchange, outcome);
  // Stream-only faults leave a non-streamed call with the model's ordinary reply.
  const reply = isFault(outcome) ? (script.reply ?? echoReply(exchange.request)) : outcome;
  const render = { reply, usage: usageOf(reply, exchange.request), receivedAt: exchange.request.receivedAt };

  if (!options.stream) {
    exchange.json(200, renderConverseResponse(render), { 'x-amzn-requestid': randomUUID() });
    return;
  }
  const headers = { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': randomUUID() };
  const plan = converseStreamPlan({ ...render, chunkSize: script.chunkSize });
  await exchange.stream({ headers, plan, script, outcome });
}
