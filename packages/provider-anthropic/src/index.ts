export { anthropic } from './anthropic-provider.js';
export type { AnthropicOptions } from './anthropic-options.js';
