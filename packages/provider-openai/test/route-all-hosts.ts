import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';

/**
 * Sends every request of this test file to `target()` whatever host its URL names, and records the
 * origins asked for: configs that name the real vendor hosts (api.openai.com, openrouter.ai,
 * <resource>.openai.azure.com) then run as written against a local server.
 */
export function routeAllHostsTo(target: (origin: string) => string): { origins: string[]; restore(): void } {
  const previous = getGlobalDispatcher();
  const origins: string[] = [];
  setGlobalDispatcher(
    new Agent().compose((dispatch) => (options, handler) => {
      const origin = String(options.origin);
      origins.push(origin);
      return dispatch({ ...options, origin: target(origin) }, handler);
    }),
  );
  return { origins, restore: () => setGlobalDispatcher(previous) };
}
