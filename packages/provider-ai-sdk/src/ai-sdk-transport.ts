import type { Agent } from 'undici';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

let undici: Promise<typeof import('undici')> | undefined;

/**
 * A fetch whose TCP (and TLS) connect is bounded by `timeoutMs`, on its own kept-alive pool, for
 * an AI SDK provider's `settings.fetch`. undici is loaded on first use, so clients without a
 * connect timeout never pay for it. A connect timeout surfaces as undici's
 * UND_ERR_CONNECT_TIMEOUT in the cause chain, which map-ai-sdk-error.ts turns into a TimeoutError.
 */
export function connectTimeoutFetch(timeoutMs: number): Fetch {
  let agent: Agent | undefined;
  return async (input, init) => {
    const loaded = await (undici ??= import('undici'));
    agent ??= new loaded.Agent({ connect: { timeout: timeoutMs } });
    // undici's fetch and the global one share their shapes but not their declared types.
    const response = await loaded.fetch(input as Parameters<typeof loaded.fetch>[0], { ...(init as Parameters<typeof loaded.fetch>[1]), dispatcher: agent });
    return response as unknown as Response;
  };
}
