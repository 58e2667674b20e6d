import { MissingCredentialsError, type ProviderContext } from '@reg/core';

/**
 * A client's API key: the option when it is set, else the first of the environment variables the
 * registry's environment holds (`context.env`, never process.env behind the registry's back). Call
 * it in `createModel`, so a client nobody calls never fails for a missing key. Without one it
 * throws MissingCredentialsError, whose one message names both places to put the key.
 */
export function loadApiKey(input: {
  /** The option's value, if the client set it. */
  apiKey: string | undefined;
  /** The variable (or variables, in order of preference) it defaults to: `OPENAI_API_KEY`. */
  environmentVariable: string | readonly string[];
  context: Pick<ProviderContext, 'client' | 'env'>;
  provider: string;
  model?: string;
  /** The option's name in messages (default `api_key`). */
  option?: string;
}): string {
  if (input.apiKey) return input.apiKey;
  const variables = typeof input.environmentVariable === 'string' ? [input.environmentVariable] : input.environmentVariable;
  for (const variable of variables) {
    const value = input.context.env[variable];
    if (value) return value;
  }
  throw new MissingCredentialsError({
    client: input.context.client,
    provider: input.provider,
    model: input.model,
    option: input.option ?? 'api_key',
    envVariable: variables.length > 1 ? `${variables[0]} (or ${variables.slice(1).join(', ')})` : variables[0],
  });
}
