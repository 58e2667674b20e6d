import type { ChatModel } from '../spec.js';

/** Enough for every distinct client of a large deployment; the oldest entry goes first. */
const MAX_MODELS_PER_PROVIDER = 512;

type Env = Readonly<Record<string, string | undefined>>;
const caches = new WeakMap<object, WeakMap<Env, Map<string, ChatModel>>>();

/**
 * Returns the model built earlier for the same provider, environment and key (the parsed options
 * and the client's `http` settings), or builds it. This lets a registry made per request reuse SDK
 * clients (and their kept-alive connections). The environment is part of the key, so a registry
 * whose env lacks the server's keys never gets a model built with them.
 */
export function cachedModel(input: { provider: object; env: Env; key: unknown; create: () => ChatModel; guard?: object | undefined }): ChatModel {
  const { provider, env, create, guard } = input;
  const key = stableKey(input.key);
  if (key === undefined) return create();
  let byEnv = caches.get(provider);
  if (!byEnv) caches.set(provider, (byEnv = new WeakMap()));
  // A model built under a connection guard only serves registries with that guard, and the reverse.
  const scope = guard ? guardedScope(env, guard) : env;
  let models = byEnv.get(scope);
  if (!models) byEnv.set(scope, (models = new Map()));
  const found = models.get(key);
  if (found) return found;
  const model = create();
  models.set(key, model);
  if (models.size > MAX_MODELS_PER_PROVIDER) models.delete(models.keys().next().value as string);
  return model;
}

const guardedScopes = new WeakMap<Env, WeakMap<object, Env>>();

/** One key object per (environment, guard) pair. */
function guardedScope(env: Env, guard: object): Env {
  let byGuard = guardedScopes.get(env);
  if (!byGuard) guardedScopes.set(env, (byGuard = new WeakMap()));
  let scope = byGuard.get(guard);
  if (!scope) byGuard.set(guard, (scope = Object.freeze({})));
  return scope;
}

/** JSON with sorted keys; undefined when the options hold something JSON cannot compare (a function). */
function stableKey(value: unknown): string | undefined {
  let comparable = true;
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'function' || typeof item === 'symbol' || typeof item === 'bigint') comparable = false;
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      if (Object.getPrototypeOf(item) !== Object.prototype && Object.getPrototypeOf(item) !== null) comparable = false;
      return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return item;
  });
  return comparable ? text : undefined;
}
